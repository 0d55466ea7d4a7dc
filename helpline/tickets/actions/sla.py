"""The SLA check: flags the targets a ticket has passed, warns before the resolution target, and applies the
plan's escalation steps, each once. Run by the periodic task for the tickets whose ``next_sla_check_at``
has come (an index range: the cost is the tickets due, not the tickets stored)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from helpline.catalog.models import Priority, State
from helpline.people.actors import SLA_JOB, Actor, sla_plan_actor
from helpline.people.permissions import Perm
from helpline.tickets import sla_clock
from helpline.tickets.actions.base import lock_ticket, notify, record_event
from helpline.tickets.events import MarkedOverdue, SLAWarning
from helpline.tickets.models import SLAEscalation, Ticket
from helpline.tickets.notifications import Owed
from helpline.tickets.policy import NotAllowed, require


def check_sla_targets(*, ticket_id: int, actor: Actor = SLA_JOB) -> bool:
    """Look at one ticket whose next SLA check has come: raise each flag whose moment passed (once: the flags
    are columns, set under the row lock), write its event, alert the assignee and the department's manager,
    and apply the plan's escalation steps for it. Returns whether anything was flagged."""
    with transaction.atomic():
        ticket = lock_ticket(ticket_id)
        require(actor, Perm.STATUS, ticket)
        now = timezone.now()
        if ticket.state != State.OPEN or ticket.sla_plan is None:
            ticket.next_sla_check_at = None
            ticket.save(update_fields=["next_sla_check_at"])
            return False
        passed = _passed(ticket, now)
        for what in passed:
            _flag(ticket, actor, what, now)
        ticket.next_sla_check_at = sla_clock.next_check(ticket)
        ticket.save(update_fields=["is_overdue", "first_response_overdue", "sla_warned", "next_sla_check_at"])
        for what in passed:
            _escalate(ticket, what, now)
    return bool(passed)


def _passed(ticket: Ticket, now: datetime) -> list[str]:
    passed = []
    if ticket.sla_warn_at is not None and not ticket.sla_warned and ticket.sla_warn_at <= now:
        passed.append("warning")
    due = ticket.first_response_due_at
    if (
        due is not None
        and not ticket.first_response_overdue
        and due <= now
        and ticket.first_response_at is None
    ):
        passed.append("first_response")
    if ticket.due_at is not None and not ticket.is_overdue and ticket.due_at <= now:
        passed.append("resolution")
    return passed


def _flag(ticket: Ticket, actor: Actor, what: str, now: datetime) -> None:
    if what == "warning":
        ticket.sla_warned = True
        assert ticket.due_at is not None
        event = record_event(ticket, actor, SLAWarning(due_at=ticket.due_at), now)
        notify(ticket, actor, Owed("overdue", entry=event, data={"warning": True}))
        return
    if what == "first_response":
        ticket.first_response_overdue = True
        due = ticket.first_response_due_at
    else:
        ticket.is_overdue = True
        due = ticket.due_at
    assert due is not None
    event = record_event(ticket, actor, MarkedOverdue(due_at=due, target=what), now)  # type: ignore[arg-type]
    notify(ticket, actor, Owed("overdue", entry=event, data={"target": what}))


def _escalate(ticket: Ticket, what: str, now: datetime) -> None:
    """The plan's steps for this moment (a warning, or a missed target), each once per period, done through
    the ticket actions in the plan's name, so the thread says which plan did what."""
    from helpline.tickets.actions.assignment import assign_ticket, transfer_ticket
    from helpline.tickets.actions.properties import set_priority

    plan = ticket.sla_plan
    assert plan is not None
    actor = sla_plan_actor(plan_id=plan.pk, plan_name=plan.name)
    for step in plan.escalation_steps_for(what):
        if SLAEscalation.objects.filter(ticket=ticket, step_id=step.pk).exists():
            continue
        SLAEscalation.objects.create(ticket=ticket, step_id=step.pk, applied_at=now)
        try:
            if step.raises_priority:
                higher = (
                    step.priority
                    or Priority.objects.filter(urgency__gt=ticket.urgency).order_by("urgency").first()
                )
                if higher is not None:
                    set_priority(actor=actor, ticket=ticket, priority=higher)
            if step.agent is not None or step.team is not None:
                assign_ticket(actor=actor, ticket=ticket, agent=step.agent, team=step.team)
            if step.department is not None:
                transfer_ticket(actor=actor, ticket=ticket, department=step.department)
        except NotAllowed:
            # An agent who no longer works the department, a retired team: the step is recorded as done;
            # the ticket stays as it is and the refusal is in the log.
            import logging

            logging.getLogger(__name__).warning("Escalation step %s refused on ticket %s", step.pk, ticket.pk)
