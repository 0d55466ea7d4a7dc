"""What the ticket domain tells the doors once a change has committed, without knowing who listens.

Every thread entry an action writes (a message, a response, a note, an event) is announced after its
transaction commits, one ``thread_entry_committed`` per entry, so a door that follows tickets (webhooks) hears
of exactly what the database holds: nothing from a change that rolled back. The domain never imports its
listeners; they connect in their own app's ``ready()``. A listener that fails is logged and never reaches
the action's caller: the change it reports has committed already.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

from helpline.tickets.models import ThreadEntry

log = logging.getLogger(__name__)

# Sent with ``entry_id`` and ``ticket_id`` (ints), by ``ThreadEntry``, after the commit.
thread_entry_committed = Signal()


def announce_on_commit(entry: ThreadEntry) -> None:
    entry_id, ticket_id = entry.pk, entry.ticket_id
    transaction.on_commit(lambda: announce(entry_id=entry_id, ticket_id=ticket_id))


def announce(*, entry_id: int, ticket_id: int) -> None:
    for receiver, outcome in thread_entry_committed.send_robust(
        sender=ThreadEntry, entry_id=entry_id, ticket_id=ticket_id
    ):
        if isinstance(outcome, Exception):
            log.error("%r failed on thread entry %s", receiver, entry_id, exc_info=outcome)
