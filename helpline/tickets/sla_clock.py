"""The SLA clock of a ticket: its state on the ticket, and the one recompute every action calls.

The clock runs while the ticket is open (and, when the plan says so, stops while it is pending). Its state is
two columns: ``sla_running_since`` (when the current run began; None while stopped) and ``sla_consumed``
(business time used by earlier runs). From them and the plan's targets for the ticket's priority, counted on
the plan's business hours (``helpline.sla``: the math is there, pure), ``recompute`` derives the first-response
and resolution due times, the warning moment and ``next_sla_check_at``, the indexed time at which the
periodic check must look at the ticket again.

Anchoring is the same for every change: what has been consumed is kept, and the targets count the rest from
now. A priority or plan change re-measures against the new targets; a pause adds nothing; a reopening starts
a fresh period.
"""

from datetime import datetime, timedelta

from helpline.catalog.models import FINISHED_STATES, State
from helpline.sla.clock import add_business_time, business_time_between
from helpline.tickets.models import Ticket

CLOCK_FIELDS = [
    "sla_running_since",
    "sla_consumed",
    "first_response_due_at",
    "first_response_warn_at",
    "due_at",
    "sla_warn_at",
    "next_sla_check_at",
    "is_overdue",
    "first_response_overdue",
    "sla_warned",
    "first_response_warned",
]


def _pauses(ticket: Ticket) -> bool:
    plan = ticket.sla_plan
    return plan is None or plan.pause_when_pending


def consumed(ticket: Ticket, now: datetime) -> timedelta:
    """Business time the ticket's clock has used up to ``now``."""
    used = ticket.sla_consumed or timedelta(0)
    if ticket.sla_running_since is None or ticket.sla_plan is None:
        return used
    return used + business_time_between(ticket.sla_plan.business_hours(), ticket.sla_running_since, now)


def start(ticket: Ticket, now: datetime) -> list[str]:
    """A new period: a new ticket, or one reopened. Nothing consumed; every flag down."""
    ticket.sla_consumed = timedelta(0)
    ticket.sla_running_since = now
    ticket.is_overdue = ticket.first_response_overdue = False
    ticket.sla_warned = ticket.first_response_warned = False
    return recompute(ticket, now)


def stop(ticket: Ticket, now: datetime) -> list[str]:
    """The clock stops (pending, when the plan pauses; resolved; closed): what was used is kept."""
    if ticket.sla_running_since is not None:
        ticket.sla_consumed = consumed(ticket, now)
        ticket.sla_running_since = None
    return recompute(ticket, now)


def resume(ticket: Ticket, now: datetime) -> list[str]:
    if ticket.sla_running_since is None:
        ticket.sla_running_since = now
    return recompute(ticket, now)


def follow_state(ticket: Ticket, old_state: str, now: datetime) -> list[str]:
    """Move the clock with a change of state (the caller applied the new one)."""
    new_state = ticket.state
    if old_state in FINISHED_STATES and new_state not in FINISHED_STATES:
        return start(ticket, now)
    if new_state in FINISHED_STATES or (new_state == State.PENDING and _pauses(ticket)):
        return stop(ticket, now)
    if new_state == State.OPEN or new_state == State.PENDING:
        return resume(ticket, now)
    return recompute(ticket, now)


def recompute(ticket: Ticket, now: datetime) -> list[str]:
    """Derive the due times, the warning moments and the next check from the clock and the plan's targets
    for the ticket's priority. Returns the fields to save (all of the clock's, for simplicity)."""
    plan = ticket.sla_plan
    if plan is None:
        for name in (
            "first_response_due_at",
            "first_response_warn_at",
            "due_at",
            "sla_warn_at",
            "next_sla_check_at",
        ):
            setattr(ticket, name, None)
        ticket.is_overdue = ticket.first_response_overdue = ticket.sla_warned = (
            ticket.first_response_warned
        ) = False
        return list(CLOCK_FIELDS)
    hours, targets = plan.business_hours(), plan.targets_for(ticket.priority_id)
    anchor = ticket.sla_running_since
    used = ticket.sla_consumed or timedelta(0)
    if anchor is None:
        # Stopped. Finished: the due times stay as they were, for the record. Paused (pending): no due
        # times while nothing runs. Either way the flags stay as they are: a target missed stays missed.
        if ticket.state not in FINISHED_STATES:
            ticket.first_response_due_at = ticket.due_at = None
        ticket.first_response_warn_at = ticket.sla_warn_at = ticket.next_sla_check_at = None
        return list(CLOCK_FIELDS)

    def after(amount: timedelta | None) -> datetime | None:
        """The moment ``amount`` of the period's business time is used up (None: no such target, or the
        clock paused). Used up already: the moment in the past it was, shifted by the pauses since."""
        if amount is None or anchor is None:
            return None
        if amount >= used:
            return add_business_time(hours, anchor, amount - used)
        return business_time_before(hours, anchor, used - amount)

    responding = ticket.first_response_at is None
    ticket.first_response_due_at = after(targets.first_response) if responding else None
    ticket.first_response_warn_at = (
        after(targets.warning_after(targets.first_response)) if responding else None
    )
    ticket.due_at = after(targets.resolution)
    ticket.sla_warn_at = after(targets.warning_after(targets.resolution))
    # A flag raised for a moment that a change has moved into the future comes down: it will come again.
    ticket.is_overdue = ticket.is_overdue and _passed(ticket.due_at, now)
    ticket.first_response_overdue = ticket.first_response_overdue and _passed(
        ticket.first_response_due_at, now
    )
    ticket.sla_warned = ticket.sla_warned and _passed(ticket.sla_warn_at, now)
    ticket.first_response_warned = ticket.first_response_warned and _passed(
        ticket.first_response_warn_at, now
    )
    ticket.next_sla_check_at = next_check(ticket)
    return list(CLOCK_FIELDS)


def _passed(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and moment < now


def business_time_before(hours, moment: datetime, amount: timedelta) -> datetime:
    """The latest moment ``amount`` of business time before ``moment`` (``add_business_time`` backwards),
    found by bisection on ``business_time_between``, which only grows as the start moves back."""
    if amount <= timedelta(0):
        return moment
    reach = amount
    while business_time_between(hours, moment - reach, moment) < amount:
        reach *= 2  # nights, weekends and holidays: look further back
    low, high = moment - reach, moment
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if business_time_between(hours, middle, moment) >= amount:
            low = middle
        else:
            high = middle
    return low.replace(microsecond=0)


# Each moment the check looks for: the time it names, and the flag raised once it has passed.
MOMENTS = (
    ("first_response_warn_at", "first_response_warned"),
    ("first_response_due_at", "first_response_overdue"),
    ("sla_warn_at", "sla_warned"),
    ("due_at", "is_overdue"),
)


def next_check(ticket: Ticket) -> datetime | None:
    """The earliest moment the periodic check has something to do for the ticket: a warning not yet given,
    a target not yet flagged as missed. None: nothing ahead (stopped, finished, or everything flagged)."""
    if ticket.sla_running_since is None or ticket.state in FINISHED_STATES:
        return None
    moments = [
        getattr(ticket, when) for when, flag in MOMENTS if getattr(ticket, when) and not getattr(ticket, flag)
    ]
    return min(moments) if moments else None
