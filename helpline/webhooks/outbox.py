"""Deliveries are rows first: written when a change has committed, sent by the task queue, retried.

``record_deliveries`` listens to ``tickets.signals.thread_entry_committed``: for each active hook that
follows the entry's event types it writes one ``Delivery`` with its body fixed, then hands the lot to the
task queue. So that a process dying between the commit and that announcement loses nothing, ``note_entry``
writes an ``OwedEvent`` in the entry's own transaction while a hook is active; writing the deliveries
takes the note in the same transaction, and the minute's sweep writes those of notes nobody took. A delivery is claimed by a conditional UPDATE (one sender wins), sent outside any transaction,
and its outcome recorded: delivered, or due again after 2, 4, 8, ... minutes (``core.retries``), or given up
after MAX_ATTEMPTS. A periodic sweep takes up what a lost task or a killed worker left pending, and
failures whose next attempt has come. HELPLINE_WEBHOOK_FAILURES_TO_DISABLE deliveries in a row that gave up
switch the hook off (``notices``).
"""

import copy
import logging
import time
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from helpline.core import configuration
from helpline.core.retries import FAILURE_FIELDS, count_failure
from helpline.tickets.models import ThreadEntry, Ticket
from helpline.webhooks import events
from helpline.webhooks.models import Attempt, Delivery, OwedEvent, Webhook
from helpline.webhooks.notices import failed_delivery
from helpline.webhooks.signing import new_message_id, signed_headers
from helpline.webhooks.transport import Answer, post

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
# The task queue normally sends at once; the sweep steps in only after this long.
SWEEP_GRACE = timedelta(minutes=2)
# How long a sender holds a claimed delivery; a sender that died lets it come due again after this.
LEASE = timedelta(minutes=5)
EXCERPT_CHARS = 1000


def note_entry(sender: object, *, entry_id: int, ticket_id: int, **kwargs: object) -> bool:
    """In the entry's transaction, while a hook is active: note that its deliveries are owed (True)."""
    if not _hooks():
        return False
    with transaction.atomic():  # a savepoint: a failure here leaves the action's transaction intact
        OwedEvent.objects.create(entry_id=entry_id, ticket_id=ticket_id, created_at=timezone.now())
    return True


def record_deliveries(
    sender: object, *, entry_id: int, ticket_id: int, noted: bool = False, **kwargs: object
) -> list[int]:
    """Write the deliveries a committed thread entry owes, and queue them. Returns their ids. A noted entry's
    note is taken in the same transaction: whoever takes it (this, or the sweep) writes them, once."""
    if not noted:
        return _write_deliveries(entry_id, ticket_id)
    with transaction.atomic():
        taken, _ = OwedEvent.objects.filter(entry_id=entry_id).delete()
        return _write_deliveries(entry_id, ticket_id) if taken else []


def record_owed(limit: int = 200) -> int:
    """The sweep's part: entries noted longer than SWEEP_GRACE ago whose announcement never came (the
    process died between the commit and it); their deliveries are written now. Returns how many."""
    cutoff = timezone.now() - SWEEP_GRACE
    owed = list(
        OwedEvent.objects.filter(created_at__lte=cutoff)
        .order_by("pk")
        .values_list("entry_id", "ticket_id")[:limit]
    )
    for entry_id, ticket_id in owed:
        record_deliveries(None, entry_id=entry_id, ticket_id=ticket_id, noted=True)
    return len(owed)


def _hooks() -> list[Webhook]:
    # Kept in the process until a hook changes (``core.configuration``): an entry costs the token's read,
    # not a query of the hooks (a ticket's opening announces two entries, a bulk change many).
    return [copy.copy(hook) for hook in configuration.cached("webhooks.active", _active_hooks)]


def _write_deliveries(entry_id: int, ticket_id: int) -> list[int]:
    hooks = _hooks()
    if not hooks:
        return []
    entry = ThreadEntry.objects.filter(pk=entry_id).first()
    types = events.event_types(entry) if entry is not None else []
    wanted = [(hook, kind) for kind in types for hook in hooks if kind in hook.events]
    if entry is None or not wanted:
        return []
    ticket = Ticket.objects.select_related("department", "status").filter(pk=ticket_id).first()
    if ticket is None:  # deleted since
        return []
    now = timezone.now()
    rows = Delivery.objects.bulk_create(
        Delivery(
            webhook=hook,
            message_id=new_message_id(),
            event_type=kind,
            ticket_id=ticket_id,
            entry_id=entry_id,
            body=events.payload(kind, entry, ticket),
            created_at=now,
            next_attempt_at=now + SWEEP_GRACE,
        )
        for hook, kind in wanted
    )
    ids = [row.pk for row in rows]
    queue(ids)
    return ids


def _active_hooks() -> list[Webhook]:
    return [hook for hook in Webhook.objects.filter(is_active=True) if hook.events]


def queue(delivery_ids: list[int]) -> None:
    """Hand the deliveries to the task queue once the transaction that wrote them (if any) commits."""
    from helpline.webhooks.tasks import deliver_webhooks_task

    transaction.on_commit(lambda: deliver_webhooks_task(delivery_ids))


def deliver(delivery_ids: Iterable[int]) -> int:
    """Try each delivery that is still owed; returns how many were delivered."""
    delivered = 0
    for delivery_id in delivery_ids:
        try:
            delivered += deliver_one(delivery_id)
        except Exception:  # noqa: BLE001 - one broken row must not hold back the others; the sweep retries
            log.exception("Webhook delivery %s could not be tried", delivery_id)
    return delivered


def deliver_one(delivery_id: int) -> bool:
    delivery = _claim(delivery_id)
    if delivery is None:
        return False
    timestamp = int(time.time())
    headers = signed_headers(delivery.webhook.secret, delivery.message_id, timestamp, delivery.body)
    try:
        answer = post(delivery.webhook.url, delivery.body.encode(), headers)
    except Exception as error:  # noqa: BLE001 - counted as a failed attempt, so a fault cannot retry forever
        log.exception("Webhook delivery %s failed unexpectedly", delivery.pk)
        answer = Answer(False, None, 0, "", f"{type(error).__name__}: {error}"[:2000])
    _record(delivery, answer)
    return answer.ok


def _claim(delivery_id: int) -> Delivery | None:
    """Take the delivery if it is still owed and nobody holds it: a first try nobody claimed yet (the task
    that wrote it), or one whose next attempt has come (a retry, or a lease that ran out). The UPDATE names
    the values read, so of two senders one wins; it counts the attempt then, so a sender that dies while
    sending has used one up too, and a delivery cannot be tried more than MAX_ATTEMPTS times. Returns it
    as the winner left it (its lease in ``next_attempt_at``)."""
    now = timezone.now()
    delivery = Delivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return None
    due = delivery.next_attempt_at
    first_try = delivery.attempts == 0 and due == delivery.created_at + SWEEP_GRACE  # nobody claimed it yet
    if not first_try and (due is None or due > now):
        return None
    owed = Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.PENDING, attempts=delivery.attempts, next_attempt_at=due
    )
    if not delivery.webhook.is_active:
        owed.update(
            status=Delivery.Status.FAILED, next_attempt_at=None, last_error="The hook is switched off."
        )
        return None
    if not owed.update(next_attempt_at=now + LEASE, attempts=F("attempts") + 1):
        return None
    delivery.next_attempt_at, delivery.attempts = now + LEASE, delivery.attempts + 1
    return delivery


def _record(delivery: Delivery, answer: Answer) -> None:
    """The attempt on the record, and its outcome on the delivery while this sender still holds it (the
    lease its claim set). One that held it past the lease finds another sender's claim, whose outcome
    stands: its attempt is logged and changes nothing else. A delivery deleted meanwhile (its hook was)
    is left alone."""
    now = timezone.now()
    held = Delivery.objects.filter(
        pk=delivery.pk,
        status=Delivery.Status.PENDING,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at,
    )
    with transaction.atomic():
        if answer.ok:
            delivery.status = Delivery.Status.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            delivery.last_error = ""
            fields = [*FAILURE_FIELDS, "delivered_at"]
        else:
            count_failure(
                delivery,
                RuntimeError(answer.error),
                max_attempts=MAX_ATTEMPTS,
                gave_up=Delivery.Status.FAILED,
            )
            delivery.last_error = answer.error
            fields = FAILURE_FIELDS
        still_held = held.update(**{name: getattr(delivery, name) for name in fields})
        if not still_held and not Delivery.objects.filter(pk=delivery.pk).exists():
            return
        Attempt.objects.create(
            delivery=delivery,
            webhook_id=delivery.webhook_id,
            at=now,
            succeeded=answer.ok,
            status_code=answer.status_code,
            response_ms=answer.elapsed_ms,
            response_excerpt=answer.excerpt[:EXCERPT_CHARS],
            error=answer.error,
        )
        if not still_held:
            log.warning(
                "Webhook delivery %s: another sender took it over; this attempt changes nothing", delivery.pk
            )
        elif answer.ok:
            Webhook.objects.filter(pk=delivery.webhook_id).update(consecutive_failures=0)
        elif delivery.status == Delivery.Status.FAILED:
            _count_failed_delivery(delivery)


def _count_failed_delivery(delivery: Delivery) -> None:
    """Inside the transaction that gave the delivery up: one more in a row for its hook, which may switch
    it off."""
    Webhook.objects.filter(pk=delivery.webhook_id).update(consecutive_failures=F("consecutive_failures") + 1)
    hook = Webhook.objects.select_for_update().get(pk=delivery.webhook_id)
    failed_delivery(hook, delivery)


def due_deliveries(limit: int = 500) -> list[int]:
    """Pending deliveries whose time has come: a retry, or a first try a lost task never made."""
    return list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def resend(delivery: Delivery) -> Delivery:
    """A new delivery of the same body under the same ``webhook-id``, queued now (the caller's transaction
    records who asked)."""
    now = timezone.now()
    copy = Delivery.objects.create(
        webhook_id=delivery.webhook_id,
        message_id=delivery.message_id,
        event_type=delivery.event_type,
        ticket_id=delivery.ticket_id,
        entry_id=delivery.entry_id,
        body=delivery.body,
        created_at=now,
        next_attempt_at=now + SWEEP_GRACE,
        resent_from=delivery,
    )
    queue([copy.pk])
    return copy
