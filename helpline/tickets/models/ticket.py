"""The ticket: one request from a requester, worked to an end."""

import secrets

from django.db import models

from helpline.catalog.models import FINISHED_STATES, State
from helpline.mail.threading import ticket_root_id


class Source(models.TextChoices):
    WEB = "web", "Web portal"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    API = "api", "API"
    AGENT = "agent", "Agent (walk-in / other)"


def new_access_secret() -> str:
    return secrets.token_urlsafe(16)


class Ticket(models.Model):
    number = models.CharField(max_length=20, unique=True)
    subject = models.CharField(max_length=255)
    requester = models.ForeignKey("people.Requester", on_delete=models.PROTECT, related_name="tickets")
    collaborators = models.ManyToManyField(
        "people.Requester", through="Collaborator", related_name="collaborating_on", blank=True
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    topic = models.ForeignKey("routing.HelpTopic", null=True, blank=True, on_delete=models.PROTECT)
    department = models.ForeignKey("people.Department", on_delete=models.PROTECT, related_name="tickets")
    priority = models.ForeignKey("catalog.Priority", on_delete=models.PROTECT)
    # Copied from priority.urgency so "most urgent first" is an index order, not a join and a sort.
    urgency = models.PositiveSmallIntegerField(default=0, editable=False)
    sla_plan = models.ForeignKey("sla.SLAPlan", null=True, blank=True, on_delete=models.PROTECT)
    assignee = models.ForeignKey(
        "people.Agent", null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_tickets"
    )
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_tickets"
    )
    status = models.ForeignKey("catalog.TicketStatus", on_delete=models.PROTECT)
    # Denormalized from status so every queue filters on one indexed column of this table.
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    due_at = models.DateTimeField(null=True, blank=True)
    is_overdue = models.BooleanField(default=False)
    # While pending (waiting on the requester) the SLA clock stops; on resuming, due_at moves on by the pause.
    pending_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    last_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveIntegerField(default=0)
    # Rotating this secret revokes every access link sent for the ticket.
    access_secret = models.CharField(max_length=40, default=new_access_secret, editable=False)
    # The Message-ID of the email that opened the ticket (set by the email intake): the root of the
    # conversation every email about the ticket continues. Blank for a ticket that began elsewhere.
    email_thread_id = models.CharField(max_length=998, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["-updated_at", "-id"]
        # Every queue filters on one state (plus the visibility test) and sorts by one column then id:
        # each (state, column, id) index hands a page over in order, whatever the table's size.
        indexes = [
            models.Index(fields=["state", "-updated_at", "-id"], name="ticket_state_updated"),
            models.Index(fields=["state", "-created_at", "-id"], name="ticket_state_created"),
            models.Index(fields=["state", "due_at", "id"], name="ticket_state_due"),
            models.Index(fields=["state", "-urgency", "-id"], name="ticket_state_urgency"),
            models.Index(fields=["state", "number", "id"], name="ticket_state_number"),
            models.Index(fields=["department", "state", "-updated_at"], name="ticket_dept_state_updated"),
            models.Index(fields=["assignee", "state", "-updated_at"], name="ticket_assignee_state_updated"),
            models.Index(fields=["team", "state", "-updated_at"], name="ticket_team_state_updated"),
            models.Index(fields=["requester", "-created_at"], name="ticket_requester_created"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.subject}"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def thread_root(self) -> str:
        """The Message-ID that roots the ticket's email conversation: the first email's, else a synthetic
        ``<ticket-NUMBER@domain>``."""
        return self.email_thread_id or ticket_root_id(self.number)


class Collaborator(models.Model):
    """Another requester copied on the ticket: sees the public thread and may post messages."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    requester = models.ForeignKey("people.Requester", on_delete=models.PROTECT)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "requester"], name="collaborator_unique")]

    def __str__(self) -> str:
        return f"{self.requester} on ticket {self.ticket_id}"
