"""Priority and SLA plan."""

from django.db import transaction
from django.utils import timezone

from helpline.catalog.models import Priority
from helpline.people.actors import Actor
from helpline.people.permissions import Perm
from helpline.sla.models import SLAPlan
from helpline.tickets import sla_clock
from helpline.tickets.actions.base import lock_ticket, record_event, touch
from helpline.tickets.conflicts import Change, require_current
from helpline.tickets.events import PriorityChanged, Ref, SLAPlanChanged
from helpline.tickets.models import Ticket
from helpline.tickets.policy import require


def set_priority(
    *,
    actor: Actor,
    ticket: Ticket,
    priority: Priority,
    expected_version: int | None = None,
    seen_entry_id: int | None = None,
) -> Ticket:
    """Change the priority: the status permission ("change status and priority"). Raises NotAllowed, or
    ChangedMeanwhile when made against an older version and the priority changed since."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.STATUS, ticket)
        require_current(
            ticket, [Change.PRIORITY], expected_version=expected_version, seen_entry_id=seen_entry_id
        )
        if ticket.priority_id == priority.pk:
            return ticket
        previous = ticket.priority
        ticket.priority, ticket.urgency = priority, priority.urgency
        now = timezone.now()
        # The plan's targets may differ by priority: measured again, keeping the time used.
        touch(ticket, now, "priority", "urgency", *sla_clock.recompute(ticket, now))
        record_event(
            ticket, actor, PriorityChanged(priority=Ref.of(priority), previous=Ref.of(previous)), now
        )
    return ticket


def set_sla_plan(
    *,
    actor: Actor,
    ticket: Ticket,
    sla_plan: SLAPlan | None,
    expected_version: int | None = None,
    seen_entry_id: int | None = None,
) -> Ticket:
    """Change the SLA plan. The business time the ticket used so far counts against the new plan's targets
    (a ticket reopened yesterday and given a longer plan is due by the longer plan from its reopening).
    Raises NotAllowed, or ChangedMeanwhile when made against an older version and the plan changed since."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.EDIT, ticket)
        require_current(
            ticket, [Change.SLA_PLAN], expected_version=expected_version, seen_entry_id=seen_entry_id
        )
        if ticket.sla_plan_id == (sla_plan and sla_plan.pk):
            return ticket
        previous = ticket.sla_plan
        now = timezone.now()
        running = ticket.sla_running_since is not None
        sla_clock.stop(ticket, now)  # bank what was used, on the old plan's hours
        ticket.sla_plan = sla_plan
        ticket.is_overdue = ticket.first_response_overdue = ticket.sla_warned = False
        fields = sla_clock.resume(ticket, now) if running else sla_clock.recompute(ticket, now)
        touch(ticket, now, "sla_plan", *fields)
        changed = SLAPlanChanged(
            sla_plan=Ref.maybe(sla_plan), previous=Ref.maybe(previous), due_at=ticket.due_at
        )
        record_event(ticket, actor, changed, now)
    return ticket
