"""The rows that describe tickets: priorities, and statuses mapped onto the fixed lifecycle states.

They sit below every app that names them (tickets, help topics, SLA plans), so no model points back up.
"""

from django.core.exceptions import ValidationError
from django.db import models

from helpline.core import configuration


class State(models.TextChoices):
    """The fixed lifecycle states. Statuses are administrator-defined names mapped onto these."""

    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


ACTIVE_STATES = (State.OPEN, State.PENDING)
FINISHED_STATES = (State.RESOLVED, State.CLOSED)


class Priority(models.Model):
    name = models.CharField(max_length=40, unique=True)
    urgency = models.PositiveSmallIntegerField(unique=True, help_text="Higher is more urgent; sorts queues.")
    color = models.CharField(max_length=7, default="#888888")
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["-urgency"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.name

    def apply_urgency_to_tickets(self) -> int:
        """Refresh the urgency copied onto tickets (after an administrator re-ranked this priority)."""
        return self.ticket_set.exclude(urgency=self.urgency).update(urgency=self.urgency)

    @classmethod
    def default(cls) -> "Priority":
        """The default priority, else the least urgent. Raises DoesNotExist when none is defined. Kept in
        the process until the priorities change (``core.configuration``); each caller gets its own copy."""
        found = configuration.cached_row("catalog.priority.default", cls._default)
        if found is None:
            raise cls.DoesNotExist("No ticket priorities are defined.")
        return found

    @classmethod
    def _default(cls) -> "Priority | None":
        return cls.objects.filter(is_default=True).first() or cls.objects.order_by("urgency").first()


class TicketStatus(models.Model):
    name = models.CharField(max_length=40, unique=True)
    state = models.CharField(max_length=10, choices=State.choices)
    is_default = models.BooleanField(
        default=False, help_text="The status a ticket gets on entering this state."
    )
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "name"]
        verbose_name_plural = "ticket statuses"
        constraints = [
            models.UniqueConstraint(
                fields=["state"], condition=models.Q(is_default=True), name="one_default_status_per_state"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A status's state may not change while tickets hold it: they would keep the old state under a
        name that says otherwise, and the queues (which filter on the state) and the policy would disagree."""
        super().clean()
        if self.pk is None:
            return
        stored = TicketStatus.objects.filter(pk=self.pk).values_list("state", flat=True).first()
        if stored is not None and stored != self.state and self.ticket_set.exists():
            raise ValidationError(
                {
                    "state": "Tickets have this status, so its state cannot change. Create a new status "
                    "for the other state instead, and move the tickets to it."
                },
                code="status_in_use",
            )

    @classmethod
    def default_for(cls, state: str) -> "TicketStatus":
        """The state's default status (kept as ``Priority.default`` is). Raises DoesNotExist."""
        found = configuration.cached_row(f"catalog.status.{state}", lambda: cls._default_for(state))
        if found is None:
            raise cls.DoesNotExist(f"The {state} state has no default status.")
        return found

    @classmethod
    def _default_for(cls, state: str) -> "TicketStatus | None":
        return cls.objects.filter(state=state, is_default=True).first()


# The defaults above are kept in each process until these tables change.
configuration.track(Priority, TicketStatus)
