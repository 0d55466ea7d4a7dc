"""Priority and SLA plan."""

from django.db import transaction
from django.utils import timezone

from helpline.catalog.models import Priority
from helpline.people.actors import Actor
from helpline.people.permissions import Perm
from helpline.sla.models import SLAPlan
from helpline.tickets.actions.base import lock_ticket, record_event, touch
from helpline.tickets.models import Event, Ticket
from helpline.tickets.policy import require


def set_priority(*, actor: Actor, ticket: Ticket, priority: Priority) -> Ticket:
    """Change the priority: the status permission ("change status and priority"), which assignees hold."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.STATUS, ticket)
        if ticket.priority_id == priority.pk:
            return ticket
        previous = ticket.priority.name
        ticket.priority, ticket.urgency = priority, priority.urgency
        now = timezone.now()
        touch(ticket, now, "priority", "urgency")
        record_event(ticket, actor, Event.PRIORITY, now, priority=priority.name, previous=previous)
    return ticket


def set_sla_plan(*, actor: Actor, ticket: Ticket, sla_plan: SLAPlan | None) -> Ticket:
    """Change the SLA plan; the due time is recomputed from when the ticket was opened."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.EDIT, ticket)
        if ticket.sla_plan_id == (sla_plan and sla_plan.pk):
            return ticket
        previous = ticket.sla_plan.name if ticket.sla_plan else None
        ticket.sla_plan = sla_plan
        ticket.due_at = sla_plan.due_from(ticket.created_at) if sla_plan else None
        ticket.is_overdue = False
        now = timezone.now()
        touch(ticket, now, "sla_plan", "due_at", "is_overdue")
        record_event(
            ticket,
            actor,
            Event.SLA,
            now,
            sla_plan=sla_plan and sla_plan.name,
            previous=previous,
            due_at=ticket.due_at and ticket.due_at.isoformat(),
        )
    return ticket
