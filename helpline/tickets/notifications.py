"""Who hears about what.

An action records what it must tell as ``Notification`` rows in its own transaction (``schedule``). After the
commit the task queue delivers them (``deliver_notifications``); a periodic sweep takes up any that a lost
task or a killed worker left pending. Delivering a notification writes one outbox row per recipient under a
unique key and marks the notification done, in one transaction: a failure half-way leaves nothing behind, and a
retry writes exactly what is missing, once. Notifications are delivered in lots, their emails made before
that transaction (``notification_emails``), and the worker sends the lot's emails itself once it has
committed (``mail.batches``).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from helpline.core import desk
from helpline.core.prepared import PreparedIn, PreparedQuery
from helpline.core.prepared_inserts import PreparedInsert
from helpline.core.retries import FAILURE_FIELDS, count_failure
from helpline.mail.batches import send_after_commit
from helpline.mail.models import OutboundEmail
from helpline.mail.outbox import store_keyed_emails
from helpline.tickets.handover import deliver_on_commit
from helpline.tickets.models import Notification, ThreadEntry, Ticket
from helpline.tickets.notification_emails import Draft
from helpline.tickets.search.indexing import index_tickets

log = logging.getLogger(__name__)

# The task queue normally delivers at once; the sweep steps in only after this long.
SWEEP_GRACE = timedelta(minutes=2)
MAX_ATTEMPTS = 6
# Notifications delivered in one transaction: their tickets, templates and recipients are read once.
LOT = 100
NOTIFICATIONS = PreparedInsert(Notification)


@dataclass(frozen=True)
class Owed:
    """A notification an action owes: its kind, the entry it reports, and what the email must also say."""

    kind: str
    entry: ThreadEntry | None = None
    data: dict | None = None


def schedule(ticket: Ticket, owed: Iterable[Owed], *, actor_agent_id: int | None) -> list[Notification]:
    """Record the notifications in the caller's transaction and hand them to the task queue on commit."""
    now = timezone.now()
    rows = [
        Notification(
            kind=item.kind,
            ticket=ticket,
            entry=item.entry,
            actor_agent_id=actor_agent_id,
            data=item.data or {},
            created_at=now,
            next_attempt_at=now + SWEEP_GRACE,
        )
        for item in owed
    ]
    for row in rows:  # one compiled INSERT each costs less than compiling one for them all
        NOTIFICATIONS.insert(row)
    if rows:
        deliver_on_commit([row.pk for row in rows])
    return rows


def deliver_notifications(
    notification_ids: Iterable[int], *, with_waiting: bool = False, reindex: Iterable[int] = ()
) -> int:
    """Deliver each pending notification, ``LOT`` in a transaction; one that fails is recorded for a later
    attempt and does not hold back the others. The emails they stored are sent by the same worker once
    that has committed. Returns how many emails were queued.

    ``with_waiting`` (the task queue's task): fill the first lot with other notifications not tried yet,
    those whose own tasks wait behind this one, so that under load one task delivers many tickets'. The
    first lot's transaction also rebuilds the search text of the tickets ``reindex`` names and of the
    others' tickets (``handover``): a task that finds its notifications delivered finds that text current
    too, and takes no write lock for it."""
    ids = list(notification_ids)
    queued: list[OutboundEmail] = []
    try:
        for start in range(0, len(ids), LOT):
            first = not start
            queued += _deliver_or_isolate(
                ids[start : start + LOT], with_waiting and first, frozenset(reindex if first else ())
            )
    finally:
        send_after_commit(queued)
    return len(queued)


def _deliver_or_isolate(
    notification_ids: list[int], with_waiting: bool = False, reindex: frozenset[int] = frozenset()
) -> list[OutboundEmail]:
    """The lot in one transaction; should that fail as a whole (a database error: the transaction is lost),
    each of its own notifications again in a transaction of its own, so that only the one at fault is
    recorded as failed (the waiting ones are left to their own tasks), and the text after them."""
    try:
        return _deliver_lot(notification_ids, with_waiting, reindex)
    except Exception as error:  # noqa: BLE001 - whatever went wrong, the row says so and is retried
        if len(notification_ids) == 1:
            _record_failure(notification_ids[0], error)
            emails = []
        else:
            emails = [email for one in notification_ids for email in _deliver_or_isolate([one])]
    index_tickets(sorted(reindex), only_stale=True)
    return emails


def deliver_notification(notification_id: int) -> list[OutboundEmail]:
    """Turn one pending notification into outbox rows and mark it done, in one transaction; returns the
    new outbox rows, leased, for the caller to send once that has committed (``batches.send_after_commit``)."""
    return _deliver_lot([notification_id])


def _deliver_lot(
    notification_ids: list[int], with_waiting: bool = False, reindex: frozenset[int] = frozenset()
) -> list[OutboundEmail]:
    """Turn the pending notifications among these into outbox rows and mark them done, in one transaction;
    returns the new rows, leased to the caller. The notifications' rows are locked first, so two workers
    never deliver one twice; one already done queues nothing. One whose emails cannot be made (a template,
    a recipient) is recorded as failed in the same transaction, and the others go ahead. They are
    delivered in id order: a ticket's in the order its changes made them. ``with_waiting``: also take
    others not tried yet (up to ``LOT`` in all), and rebuild their tickets' search text with that of the
    tickets ``reindex`` names, in the same transaction.

    The emails are drafted before the transaction from plain reads: on SQLite its BEGIN takes the write
    lock, which rendering a lot's emails inside held about 0.45 ms a ticket while every other
    writer waits. Inside, the draft is kept if the same notifications are still pending and no email to
    their tickets was stored meanwhile; else the emails are made again there, as they would have been."""
    if not _STILL_PENDING.rows(notification_ids):
        # Delivered already (a status that stays): under load most tasks find theirs taken by an earlier lot,
        # which built the text of their tickets too (the sweep does not: then it is built here).
        index_tickets(sorted(reindex), only_stale=True)
        return []
    mine = _UNLOCKED.objects(notification_ids)
    others: list[Notification] = []
    if with_waiting and len(mine) < LOT:
        # A task whose own notifications an earlier lot took looks no further: that lot took the others too.
        own = set(notification_ids)
        others = [other for other in _NOT_TRIED.objects() if other.pk not in own][: LOT - len(mine)]
    with desk.read_once():
        draft = Draft.of(_in_order([*mine, *others]))
        with transaction.atomic():
            attempts = dict(_LOCKED.rows(notification_ids))
            if attempts and others:
                # Another worker's rows are skipped, not waited for: it is delivering them.
                taken = dict(_LOCKED_UNLESS_TAKEN.rows([other.pk for other in others]))
                reindex = reindex | {other.ticket_id for other in others if other.pk in taken}
                attempts |= taken
            index_tickets(sorted(reindex), only_stale=True)
            if not attempts:
                return []
            ids = sorted(attempts)
            if not draft.holds_for(ids):
                draft = Draft.of(_PENDING.objects(ids))
            # A notification never tried has no rows yet: they are written with the mark that it was tried.
            never_tried = not any(attempts.values())
            rows = store_keyed_emails(draft.emails, leased=True, new_keys=never_tried)
            done = [pk for pk in ids if pk not in draft.failed]
            Notification.objects.filter(pk__in=done).update(
                status=Notification.Status.DONE, done_at=timezone.now(), attempts=F("attempts") + 1
            )
            if draft.failed:
                for notification in Notification.objects.filter(pk__in=list(draft.failed)).order_by("pk"):
                    _count_failure(notification, draft.failed[notification.pk])
    return rows


def _in_order(notifications: list[Notification]) -> list[Notification]:
    return sorted(notifications, key=lambda notification: notification.pk)


def _pending_rows():
    """Pending notifications, locked as they are read, with their entries, in the order they were made."""
    pending = Notification.objects.select_for_update(of=("self",)).select_related("entry")
    return pending.filter(status=Notification.Status.PENDING).order_by("pk")


# Most tasks bring one notification (compiled once for it), which under load an earlier lot has delivered.
_PENDING = PreparedIn("pk", lambda which: _pending_rows().filter(which))
_STILL_PENDING = PreparedIn(
    "pk",
    lambda which: Notification.objects.filter(which, status=Notification.Status.PENDING).values_list("pk"),
)
_UNLOCKED = PreparedIn(
    "pk",
    lambda which: (
        Notification.objects.select_related("entry")
        .filter(which, status=Notification.Status.PENDING)
        .order_by("pk")
    ),
)
# The first notifications never tried: what the first lot of a task fills up with.
_NOT_TRIED = PreparedQuery(
    lambda: (
        Notification.objects.select_related("entry")
        .filter(status=Notification.Status.PENDING, attempts=0)
        .order_by("pk")[:LOT]
    ),
    kinds=(),
)
# Locked as the transaction reads them: their attempts so far, by id.
_LOCKED = PreparedIn("pk", lambda which: _pending_rows().filter(which).values_list("pk", "attempts"))
_LOCKED_UNLESS_TAKEN = PreparedIn(
    "pk",
    lambda which: (
        _pending_rows()
        .select_for_update(of=("self",), skip_locked=True)
        .filter(which, attempts=0)
        .values_list("pk", "attempts")
    ),
)


def _record_failure(notification_id: int, error: Exception) -> None:
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != Notification.Status.PENDING:
            return
        _count_failure(notification, error)


def _count_failure(notification: Notification, error: Exception) -> None:
    log.error("Notification %s could not be delivered", notification.pk, exc_info=error)
    notification.attempts += 1
    count_failure(notification, error, max_attempts=MAX_ATTEMPTS, gave_up=Notification.Status.FAILED)
    notification.save(update_fields=FAILURE_FIELDS)


def due_notifications(limit: int = 500) -> list[int]:
    """Pending notifications the task queue should have delivered by now (a lost task, a killed worker, a
    failure waiting for its next attempt)."""
    return list(
        Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
