"""The thread of a ticket: messages, responses, internal notes and events, in order."""

from django.db import models


class EntryKind(models.TextChoices):
    MESSAGE = "message", "Message"  # from the requester or a collaborator
    RESPONSE = "response", "Response"  # from an agent, seen by the requester
    NOTE = "note", "Internal note"  # agents only
    EVENT = "event", "Event"  # a recorded change


PUBLIC_KINDS = (EntryKind.MESSAGE, EntryKind.RESPONSE)


class Event(models.TextChoices):
    CREATED = "created", "Created"
    ASSIGNED = "assigned", "Assigned"
    UNASSIGNED = "unassigned", "Unassigned"
    TRANSFERRED = "transferred", "Transferred"
    PRIORITY = "priority", "Priority changed"
    SLA = "sla", "SLA plan changed"
    STATUS = "status", "Status changed"
    REOPENED = "reopened", "Reopened"
    OVERDUE = "overdue", "Marked overdue"
    COLLABORATOR = "collaborator", "Collaborator added"
    COLLABORATOR_REMOVED = "collaborator_removed", "Collaborator removed"
    BOUNCED = "bounced", "Email bounced"
    SLA_WARNING = "sla_warning", "SLA target near"
    RULE = "rule", "Filter rule applied"
    TASK_ADDED = "task_added", "Task added"
    TASK_CHANGED = "task_changed", "Task changed"
    TASK_DONE = "task_done", "Task done or reopened"
    TASK_DELETED = "task_deleted", "Task deleted"
    MERGED_INTO = "merged_into", "Merged into another ticket"
    MERGED_FROM = "merged_from", "Another ticket merged in"
    LINKED = "linked", "Linked"
    UNLINKED = "unlinked", "Link removed"
    SPLIT_TO = "split_to", "A message split off"
    SPLIT_FROM = "split_from", "Split from another ticket"
    FIELDS = "fields", "Custom fields changed"
    LINKS_REVOKED = "links_revoked", "Access links revoked"


class ThreadEntry(models.Model):
    # No index of its own: entry_ticket_created leads with it.
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    author_agent = models.ForeignKey("people.Agent", null=True, blank=True, on_delete=models.PROTECT)
    author_requester = models.ForeignKey("people.Requester", null=True, blank=True, on_delete=models.PROTECT)
    author_name = models.CharField(
        max_length=200, help_text="As shown on the record, kept if the person goes."
    )
    created_at = models.DateTimeField()
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True, help_text="Sanitized HTML; empty when the body was plain text.")
    # For a message that arrived by email: its whole text when the body above is the new part only (quoted
    # history and signature trimmed).
    original_text = models.TextField(blank=True)
    event = models.CharField(max_length=20, choices=Event.choices, blank=True)
    # An event's payload, shaped by its kind (``tickets.events``): ids with the names as they were.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="entry_ticket_created")]
        verbose_name_plural = "thread entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.ticket_id} by {self.author_name}"

    @property
    def is_public(self) -> bool:
        return self.kind in PUBLIC_KINDS
