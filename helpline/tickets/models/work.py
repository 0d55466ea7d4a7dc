"""Agents' work inside a ticket: who was mentioned in an internal note, and the ticket's tasks."""

from django.db import models


class Mention(models.Model):
    """An agent named with ``@`` in an internal note, who may see the ticket: alerted, and the ticket is in
    their Mentioned queue. One row per note and agent, written by the note's action."""

    entry = models.ForeignKey("tickets.ThreadEntry", on_delete=models.CASCADE, related_name="mentions")
    # Denormalized from the entry, so the Mentioned queue reads the agent's tickets from one index.
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey("people.Agent", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "agent"], name="mention_once")]
        indexes = [models.Index(fields=["agent", "ticket"], name="mention_agent_ticket")]

    def __str__(self) -> str:
        return f"agent {self.agent_id} in entry {self.entry_id}"


class Task(models.Model):
    """A piece of work on a ticket, for an agent who may see it, optionally by a day."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    assignee = models.ForeignKey(
        "people.Agent", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    due_on = models.DateField("due date", null=True, blank=True)
    is_done = models.BooleanField("done", default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["is_done", "due_on", "id"]
        indexes = [
            # "My tasks": an agent's open tasks by due date, a range of this index in page order.
            models.Index(fields=["assignee", "is_done", "due_on", "id"], name="task_assignee_due"),
            models.Index(fields=["ticket", "is_done", "due_on"], name="task_ticket"),
        ]

    def __str__(self) -> str:
        return self.title
