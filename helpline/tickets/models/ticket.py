"""The ticket: one request from a requester, worked to an end."""

import secrets
from datetime import timedelta

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
    # The foreign keys that lead a composite index below have no index of their own: every ticket written
    # would keep both up to date, and the composite one serves every lookup the single one would.
    requester = models.ForeignKey(
        "people.Requester", on_delete=models.PROTECT, related_name="tickets", db_index=False
    )
    collaborators = models.ManyToManyField(
        "people.Requester", through="Collaborator", related_name="collaborating_on", blank=True
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    topic = models.ForeignKey(
        "routing.HelpTopic", null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )
    department = models.ForeignKey(
        "people.Department", on_delete=models.PROTECT, related_name="tickets", db_index=False
    )
    priority = models.ForeignKey("catalog.Priority", on_delete=models.PROTECT, db_index=False)
    # Copied from priority.urgency so "most urgent first" is an index order, not a join and a sort.
    urgency = models.PositiveSmallIntegerField(default=0, editable=False)
    sla_plan = models.ForeignKey("sla.SLAPlan", null=True, blank=True, on_delete=models.PROTECT)
    assignee = models.ForeignKey(
        "people.Agent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_tickets",
        db_index=False,
    )
    team = models.ForeignKey(
        "people.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_tickets",
        db_index=False,
    )
    status = models.ForeignKey("catalog.TicketStatus", on_delete=models.PROTECT, db_index=False)
    # Denormalized from status so every queue filters on one indexed column of this table.
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    # The SLA clock (tickets.sla_clock): when its current run began (None while stopped), the business time
    # used by earlier runs, and what they give under the plan's targets: the resolution due time (due_at),
    # the first-response due time, the warning moment, and when the periodic check looks again.
    sla_running_since = models.DateTimeField(null=True, blank=True)
    sla_consumed = models.DurationField(default=timedelta(0))
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    first_response_warn_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    sla_warn_at = models.DateTimeField(null=True, blank=True)
    next_sla_check_at = models.DateTimeField(null=True, blank=True)
    # Each flag is raised once, by the periodic check, with its event and alerts.
    is_overdue = models.BooleanField(default=False)
    first_response_overdue = models.BooleanField(default=False)
    sla_warned = models.BooleanField(default=False)
    first_response_warned = models.BooleanField(default=False)
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
    # Raised by one in the same UPDATE by every action that changes the ticket, under its row lock: a form
    # carries the version it was shown with, and a change made against an older one is checked for what
    # changed meanwhile (``tickets.conflicts``).
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set when the ticket was merged into another (``actions.merging``): it is closed, read-only and in no
    # queue, and its number, links and emails lead to that ticket. Deleting that ticket deletes this one,
    # whose conversation it holds.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="merged_tickets", editable=False
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        # Every queue filters on one state (plus the visibility test) and sorts by one column then id:
        # each (state, column, id) index hands a page over in order, whatever the table's size.
        indexes = [
            models.Index(fields=["state", "-updated_at", "-id"], name="ticket_state_updated"),
            # The API's list in any state, most recently updated first (2.5 s at a million tickets without).
            models.Index(fields=["-updated_at", "-id"], name="ticket_updated"),
            models.Index(fields=["state", "-created_at", "-id"], name="ticket_state_created"),
            models.Index(fields=["state", "due_at", "id"], name="ticket_state_due"),
            models.Index(fields=["state", "-urgency", "-id"], name="ticket_state_urgency"),
            models.Index(fields=["state", "number", "id"], name="ticket_state_number"),
            # A filtered list (staff.filters): one value of one column within a state, newest change first.
            models.Index(fields=["department", "state", "-updated_at", "-id"], name="ticket_dept_state_upd"),
            models.Index(
                fields=["assignee", "state", "-updated_at", "-id"], name="ticket_assignee_state_upd"
            ),
            models.Index(fields=["team", "state", "-updated_at", "-id"], name="ticket_team_state_upd"),
            models.Index(fields=["topic", "state", "-updated_at", "-id"], name="ticket_topic_state_upd"),
            models.Index(fields=["status", "state", "-updated_at", "-id"], name="ticket_status_state_upd"),
            models.Index(
                fields=["priority", "state", "-updated_at", "-id"], name="ticket_priority_state_upd"
            ),
            models.Index(fields=["source", "state", "-updated_at", "-id"], name="ticket_source_state_upd"),
            models.Index(fields=["requester", "-created_at"], name="ticket_requester_created"),
            # The agent's dashboard: their open tickets by due time, those awaiting their reply, their
            # tickets by latest change.
            models.Index(fields=["assignee", "state", "due_at", "id"], name="ticket_assignee_state_due"),
            models.Index(
                fields=["assignee", "state", "last_message_at", "id"], name="ticket_assignee_state_message"
            ),
            models.Index(fields=["assignee", "-updated_at", "-id"], name="ticket_assignee_updated"),
            # The periodic SLA check reads the range of tickets due for a look, not the table.
            models.Index(
                fields=["next_sla_check_at"],
                name="ticket_sla_check",
                condition=models.Q(next_sla_check_at__isnull=False),
            ),
            # Auto-close reads the resolved tickets by when they were resolved.
            models.Index(fields=["state", "resolved_at"], name="ticket_state_resolved"),
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


class SLAEscalation(models.Model):
    """An escalation step of the ticket's SLA plan, applied to the ticket: each step once per period (a
    reopening starts a new one), so running the check again changes nothing more."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="escalations")
    step_id = models.BigIntegerField()
    applied_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "step_id"], name="escalation_once")]

    def __str__(self) -> str:
        return f"step {self.step_id} on ticket {self.ticket_id}"
