"""The SLA check: flags the moments a ticket has passed (a target's warning, a missed target), writes each
event, alerts, and applies the plan's escalation steps for it, each once. Run by the periodic task for the
tickets whose ``next_sla_check_at`` has come (an index range: the cost is the tickets due, not the tickets
stored)."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from helpline.catalog.models import FINISHED_STATES, Priority, State
from helpline.people.actors import SLA_JOB, Actor, sla_plan_actor
from helpline.people.permissions import Perm
from helpline.sla.models import EscalationStep
from helpline.tickets import sla_clock
from helpline.tickets.actions.base import lock_ticket, notify, record_event
from helpline.tickets.events import MarkedOverdue, SLAWarning
from helpline.tickets.models import SLAEscalation, Ticket
from helpline.tickets.notifications import Owed
from helpline.tickets.policy import NotAllowed, require

log = logging.getLogger(__name__)
FIRST_RESPONSE, RESOLUTION = EscalationStep.Target.FIRST_RESPONSE, EscalationStep.Target.RESOLUTION
WARNING, BREACH = EscalationStep.Trigger.WARNING, EscalationStep.Trigger.BREACH
# The moments of sla_clock.MOMENTS, as (target, trigger).
MOMENT_OF = {
    "first_response_warn_at": (FIRST_RESPONSE, WARNING),
    "first_response_due_at": (FIRST_RESPONSE, BREACH),
    "sla_warn_at": (RESOLUTION, WARNING),
    "due_at": (RESOLUTION, BREACH),
}
FLAG_FIELDS = [flag for _, flag in sla_clock.MOMENTS] + ["next_sla_check_at"]


def check_sla_targets(*, ticket_id: int, actor: Actor = SLA_JOB) -> bool:
    """Look at one ticket whose next SLA check has come: raise each flag whose moment passed (once: the
    flags are columns, raised under the row lock), write its event, alert the assignee and the department's
    manager, and apply the plan's escalation steps for that moment. Returns whether anything was flagged."""
    with transaction.atomic():
        ticket = lock_ticket(ticket_id)
        require(actor, Perm.STATUS, ticket)
        now = timezone.now()
        if ticket.state != State.OPEN or ticket.sla_plan is None:
            ticket.next_sla_check_at = None
            ticket.save(update_fields=["next_sla_check_at"])
            return False
        passed = [
            (when, flag)
            for when, flag in sla_clock.MOMENTS
            if getattr(ticket, when) is not None and getattr(ticket, when) < now and not getattr(ticket, flag)
        ]
        for when, flag in passed:
            setattr(ticket, flag, True)
            _record(ticket, actor, *MOMENT_OF[when], getattr(ticket, when), now)
        ticket.next_sla_check_at = sla_clock.next_check(ticket)
        if passed:
            ticket.version += 1  # a flag raised is a change; only looking again later is not
        ticket.save(update_fields=[*FLAG_FIELDS, "version"])
        for when, _ in passed:
            _escalate(ticket, *MOMENT_OF[when], now)
    return bool(passed)


def _record(ticket: Ticket, actor: Actor, target: str, trigger: str, due: datetime, now: datetime) -> None:
    if trigger == WARNING:
        event = record_event(ticket, actor, SLAWarning(due_at=due, target=target), now)  # type: ignore[arg-type]
    else:
        event = record_event(ticket, actor, MarkedOverdue(due_at=due, target=target), now)  # type: ignore[arg-type]
    kind = "sla_warning" if trigger == WARNING else "overdue"
    notify(ticket, actor, Owed(kind, entry=event, data={"target": target}))


def _escalate(ticket: Ticket, target: str, trigger: str, now: datetime) -> None:
    """The plan's steps for this moment, each once per period (a reopening starts a new one), done through
    the ticket actions in the plan's name, so the thread says which plan did what."""
    from helpline.tickets.actions.assignment import assign_ticket, transfer_ticket
    from helpline.tickets.actions.properties import set_priority

    plan = ticket.sla_plan
    assert plan is not None
    actor = sla_plan_actor(plan_id=plan.pk, plan_name=plan.name)
    steps = plan.escalation_steps.filter(target=target, trigger=trigger).select_related(
        "priority", "agent__user", "team", "department"
    )
    for step in steps:
        _, first_time = SLAEscalation.objects.get_or_create(
            ticket=ticket, step_id=step.pk, defaults={"applied_at": now}
        )
        if not first_time:
            continue
        current = Ticket.objects.select_related("priority").get(pk=ticket.pk)
        try:
            match step.action:
                case EscalationStep.Action.RAISE_PRIORITY:
                    higher = Priority.objects.filter(urgency__gt=current.urgency).order_by("urgency").first()
                    if higher is not None:
                        set_priority(actor=actor, ticket=current, priority=higher)
                case EscalationStep.Action.SET_PRIORITY:
                    assert step.priority is not None
                    set_priority(actor=actor, ticket=current, priority=step.priority)
                case EscalationStep.Action.ASSIGN_AGENT:
                    assign_ticket(actor=actor, ticket=current, agent=step.agent, team=current.team)
                case EscalationStep.Action.ASSIGN_TEAM:
                    assign_ticket(actor=actor, ticket=current, agent=current.assignee, team=step.team)
                case EscalationStep.Action.TRANSFER:
                    assert step.department is not None
                    transfer_ticket(actor=actor, ticket=current, department=step.department)
        except NotAllowed as refusal:
            # An agent who no longer works the department, a retired team: the step counts as done, the
            # ticket stays as it is, and why is in the log.
            log.warning(
                "Escalation step %s (%s) refused on ticket %s: %s", step.pk, step, ticket.number, refusal
            )


REMEASURE_BATCH = 500


def remeasure_sla(*, plan_ids: list[int]) -> int:
    """Recount the due times of the unfinished tickets of these plans after an administrator changed their
    targets or their schedule: what each ticket has used is kept, and the rest is counted on the new
    targets and hours from when its clock last started; a pending ticket's clock stops or runs as the plan
    now says. Works in batches under row locks, by id, so a
    million tickets never sit in one transaction; returns how many tickets it recounted. No event is
    written: the change itself is in the audit log."""
    from helpline.sla.models import SLAPlan

    plans = {
        plan.pk: plan
        for plan in SLAPlan.objects.filter(pk__in=plan_ids)
        .select_related("schedule")
        .prefetch_related("targets", "schedule__spans", "schedule__holidays")
    }
    unfinished = Ticket.objects.filter(sla_plan_id__in=list(plans)).exclude(state__in=FINISHED_STATES)
    now, after, done = timezone.now(), 0, 0
    while True:
        with transaction.atomic():
            batch = list(unfinished.filter(pk__gt=after).order_by("pk").select_for_update()[:REMEASURE_BATCH])
            for ticket in batch:
                assert ticket.sla_plan_id is not None
                ticket.sla_plan = plans[ticket.sla_plan_id]
                sla_clock.follow_state(
                    ticket, ticket.state, now
                )  # pending tickets pause as the plan now says
                ticket.version += 1  # read under the lock: the due times shown changed
            Ticket.objects.bulk_update(batch, [*sla_clock.CLOCK_FIELDS, "version"])
        if not batch:
            return done
        done += len(batch)
        after = batch[-1].pk
