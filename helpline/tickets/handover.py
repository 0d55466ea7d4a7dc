"""What a transaction's changes leave to the task queue, handed over in one task when it commits.

A change that adds to a thread owes its notifications and a new search text for its ticket. Queued as two
tasks, the index task came first and rebuilt the one ticket's text in a transaction of its own (on SQLite
one more turn of the write lock, 1.4 ms a ticket under load), before the notification task that would
have built it with the others it took. Handed over together, the notification task builds the text of its
own tickets and of those whose notifications it took in the transaction that delivers them (the worker's
turns of the lock, 8.7 s for some 6,000 tickets opened through the API, became 4.1 s, and its CPU 5.1 ms
a ticket 4.4); a change that owes no notification queues the index task alone. A hand-over belongs to
the savepoint it was made in, as an ``on_commit`` hook does: a change rolled back, with its transaction
or its savepoint, hands over nothing.
"""

import threading
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction

_current = threading.local()


@dataclass(eq=False)
class _Handover:
    notifications: list[int] = field(default_factory=list)
    tickets: set[int] = field(default_factory=set)
    hook: partial | None = None


def deliver_on_commit(notification_ids: list[int]) -> None:
    """Deliver these notifications once the current transaction commits (at once outside one)."""
    handover = _handover()
    if handover is None:
        _hand_over(_Handover(notifications=list(notification_ids)))
    else:
        handover.notifications += notification_ids


def reindex_on_commit(ticket_id: int) -> None:
    """Rebuild the ticket's search text once the current transaction commits, unless it is built from the
    ticket's version by then. Precondition: the change bumps the ticket's version (``actions.base.touch``)."""
    handover = _handover()
    if handover is None:
        _hand_over(_Handover(tickets={ticket_id}))
    else:
        handover.tickets.add(ticket_id)


def _handover() -> _Handover | None:
    """The current transaction's hand-over (its hook registered with the first call); None outside one."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    handover: _Handover | None = getattr(_current, "handover", None)
    # Still this savepoint's while its hook waits to run: a commit runs it, a roll back drops it.
    here = set(connection.savepoint_ids)
    if handover is not None and any(
        hook is handover.hook and made_in == here for made_in, hook, _ in connection.run_on_commit
    ):
        return handover
    handover = _Handover()
    handover.hook = partial(_hand_over, handover)
    _current.handover = handover
    transaction.on_commit(handover.hook)
    return handover


def _hand_over(handover: _Handover) -> None:
    from helpline.tickets.tasks import deliver_notifications_task, index_tickets_task

    if getattr(_current, "handover", None) is handover:
        _current.handover = None
    tickets = sorted(handover.tickets)
    if handover.notifications:
        deliver_notifications_task(handover.notifications, tickets)
    elif tickets:
        index_tickets_task(tickets, only_stale=True)
