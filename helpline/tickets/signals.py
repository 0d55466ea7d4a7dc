"""What the ticket domain tells the doors of each thread entry, without knowing who listens.

Every thread entry an action writes (a message, a response, a note, an event) is announced after its
transaction commits, one ``thread_entry_committed`` per entry, so a door that follows tickets (webhooks) hears
of exactly what the database holds: nothing from a change that rolled back. A process that dies between the
commit and that announcement would leave it unsaid, so ``thread_entry_written`` tells the listeners first,
inside the transaction: one may keep a note there (committed or rolled back with the entry) and find it
again should the announcement never come. The domain never imports its listeners; they connect in their
own app's ``ready()``. A listener that fails is logged and never reaches the action's caller.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

from helpline.tickets.models import ThreadEntry

log = logging.getLogger(__name__)

# Sent with ``entry_id`` and ``ticket_id`` (ints), by ``ThreadEntry``, inside the entry's transaction; a
# receiver returns True when it kept a note of the entry (writing in a savepoint of its own).
thread_entry_written = Signal()
# Sent with ``entry_id``, ``ticket_id`` and ``noted`` (whether a receiver kept a note), after the commit.
thread_entry_committed = Signal()


def announce_on_commit(entry: ThreadEntry) -> None:
    entry_id, ticket_id = entry.pk, entry.ticket_id
    noted = False
    for receiver, outcome in thread_entry_written.send_robust(
        sender=ThreadEntry, entry_id=entry_id, ticket_id=ticket_id
    ):
        if isinstance(outcome, Exception):
            log.error("%r failed on thread entry %s", receiver, entry_id, exc_info=outcome)
        noted = noted or outcome is True
    transaction.on_commit(lambda: announce(entry_id=entry_id, ticket_id=ticket_id, noted=noted))


def announce(*, entry_id: int, ticket_id: int, noted: bool = False) -> None:
    for receiver, outcome in thread_entry_committed.send_robust(
        sender=ThreadEntry, entry_id=entry_id, ticket_id=ticket_id, noted=noted
    ):
        if isinstance(outcome, Exception):
            log.error("%r failed on thread entry %s", receiver, entry_id, exc_info=outcome)
