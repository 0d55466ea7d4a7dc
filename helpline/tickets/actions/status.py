"""Moving a ticket through its states: open, pending, resolved, closed, and back by reopening."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from helpline.catalog.models import FINISHED_STATES, State, TicketStatus
from helpline.people.actors import AUTO_CLOSE, Actor
from helpline.tickets import sla_clock
from helpline.tickets.actions.base import lock_ticket, notify, record_event, touch
from helpline.tickets.actions.following import followers_owed
from helpline.tickets.conflicts import Change, require_current
from helpline.tickets.events import Ref, Reopened, StatusChanged
from helpline.tickets.models import SLAEscalation, Ticket
from helpline.tickets.notifications import Owed
from helpline.tickets.policy import NotAllowed, require_state


def change_status(ticket: Ticket, actor: Actor, status: TicketStatus, at: datetime) -> list[str]:
    """Apply a status to a locked ticket and record it; returns the fields changed (caller saves).
    Leaving a finished state is a reopen: counted, recorded, and the SLA clock starts a new period; the
    clock otherwise follows the state (it stops while pending when the plan says so, and when finished)."""
    old_status, old_state = ticket.status, ticket.state
    ticket.status, ticket.state = status, status.state
    fields = ["status", "state", "pending_since"]
    ticket.pending_since = (ticket.pending_since or at) if status.state == State.PENDING else None
    refs = {"status": Ref.of(status), "previous": Ref.of(old_status)}
    if old_state in FINISHED_STATES and status.state not in FINISHED_STATES:
        ticket.reopen_count += 1
        ticket.closed_at = ticket.resolved_at = None
        fields += ["reopen_count", "closed_at", "resolved_at", *sla_clock.follow_state(ticket, old_state, at)]
        SLAEscalation.objects.filter(ticket=ticket).delete()  # a new period: its steps may apply again
        reopened = Reopened(**refs, state=status.state, previous_state=old_state)  # type: ignore[arg-type]
        record_event(ticket, actor, reopened, at)
        return fields
    if status.state == State.RESOLVED:
        # Coming back from closed to resolved: the ticket is no longer closed.
        ticket.resolved_at, ticket.closed_at = at, None
        fields += ["resolved_at", "closed_at"]
    if status.state == State.CLOSED:
        ticket.closed_at = at
        ticket.resolved_at = ticket.resolved_at or at
        fields += ["closed_at", "resolved_at"]
    fields += sla_clock.follow_state(ticket, old_state, at)
    changed = StatusChanged(**refs, state=State(status.state), previous_state=State(old_state))
    record_event(ticket, actor, changed, at)
    return fields


def status_change(status: TicketStatus) -> Change:
    """What a move to ``status`` conflicts with (``tickets.conflicts``): finishing a ticket is refused on
    unread messages too."""
    return Change.FINISH if status.state in FINISHED_STATES else Change.STATUS


def set_status(
    *,
    actor: Actor,
    ticket: Ticket,
    status: TicketStatus,
    expected_version: int | None = None,
    seen_entry_id: int | None = None,
) -> Ticket:
    """Give the ticket a new status, as the policy allows the actor (agents: resolving or closing takes the
    close permission, other moves the status permission; a requester may close their own ticket). Leaving
    resolved or closed reopens it. Resolving or closing tells the requester; followers hear of every move.
    Raises NotAllowed, or ChangedMeanwhile when made against an older version and the status changed since
    (or, to resolve or close, a message arrived)."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require_state(actor, ticket, status.state)
        require_current(
            ticket, [status_change(status)], expected_version=expected_version, seen_entry_id=seen_entry_id
        )
        if ticket.is_finished and status.state not in FINISHED_STATES:
            return _reopen(actor, ticket, status)
        if status.pk == ticket.status_id:
            return ticket
        now = timezone.now()
        touch(ticket, now, *change_status(ticket, actor, status, now))
        owed = [Owed(f"ticket_{status.state}")] if status.state in FINISHED_STATES else []
        notify(ticket, actor, *owed, *followers_owed(ticket, actor, "status"))
    return ticket


def reopen_ticket(*, actor: Actor, ticket: Ticket) -> Ticket:
    """Reopen a resolved or closed ticket (the requester, or an agent who may change its status)."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        return _reopen(actor, ticket, TicketStatus.default_for(State.OPEN))


def _reopen(actor: Actor, ticket: Ticket, status: TicketStatus) -> Ticket:
    if not ticket.is_finished:
        raise NotAllowed(f"Ticket #{ticket.number} is not resolved or closed.")
    require_state(actor, ticket, status.state)
    now = timezone.now()
    touch(ticket, now, *change_status(ticket, actor, status, now))
    notify(
        ticket, actor, Owed("reopened"), *followers_owed(ticket, actor, "status", covered_by=("reopened",))
    )
    return ticket


def auto_close_resolved(*, limit: int = 1000) -> int:
    """Close resolved tickets after HELPLINE_AUTO_CLOSE_DAYS (0: never) without a message from the requester
    (a message would have reopened them), as the automation actor, with the closing email. Reads the
    (state, resolved_at) index range; returns how many were closed."""
    days = settings.HELPLINE_AUTO_CLOSE_DAYS
    if not days:
        return 0
    cutoff = timezone.now() - timedelta(days=days)
    closed_status = TicketStatus.default_for(State.CLOSED)
    due = Ticket.objects.filter(state=State.RESOLVED, resolved_at__lte=cutoff).order_by("resolved_at")
    closed = 0
    for ticket in due.only("pk")[:limit]:
        try:
            set_status(actor=AUTO_CLOSE, ticket=ticket, status=closed_status)
        except NotAllowed:
            continue
        closed += 1
    return closed
