"""Sending many outbox rows at once: one claim, one look at the held addresses and one connection to the
mail server for the lot, whatever its size.

The task queue's worker delivers a lot of notifications and then the emails they stored, in the same task
(``send_after_commit``): a second task per lot cost the worker more than sending did. It stores them
leased to itself already (``outbox.store_keyed_emails``), so it need not claim them again; other rows are
claimed in one transaction (``deliver_batch``). Each row keeps the guarantees of ``outbox.deliver``: it is
held under a lease while it is sent, so two senders never both send it; it is marked sent right after it
went; a row that fails is recorded and retried on its own, without holding back the others; a row left
by a sender that died comes due again when its lease runs out, and ``retry_due_emails`` takes it up then.
"""

import logging
from collections.abc import Iterable, Sequence

from django.core.mail import mailers
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from helpline.core.retries import FAILURE_FIELDS, count_failure
from helpline.mail.messages import message_of
from helpline.mail.models import BouncingAddress, OutboundEmail
from helpline.mail.outbox import LEASE, MAX_ATTEMPTS

log = logging.getLogger(__name__)
# Rows claimed (and held under one lease) at a time: a lot sends well within the lease.
BATCH = 200


def send_after_commit(rows: Sequence[OutboundEmail]) -> None:
    """Send rows the caller stored leased (``outbox.store_keyed_emails``) once the transaction that stored
    them commits; at once when there is none (the worker). Unlike ``outbox.deliver_after_commit`` this
    sends in the caller's process: for the worker only, never a web request."""
    leased = list(rows)
    if leased:
        transaction.on_commit(lambda: send_leased(leased))


def deliver_batch(email_ids: Iterable[int]) -> int:
    """Send each of these rows that is still due, ``BATCH`` at a time over one connection; returns how many
    went out."""
    ids = list(email_ids)
    return sum(_deliver_lot(ids[start : start + BATCH]) for start in range(0, len(ids), BATCH))


def claim_batch(email_ids: Sequence[int]) -> list[OutboundEmail]:
    """Take the rows that are still due, under a lease, in one transaction: the rows another sender holds
    are locked (PostgreSQL) or its transaction is serialized with this one (SQLite), so each row goes to one
    sender. Returns the rows taken, in id order."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(email_ids), status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now)
            .order_by("pk")
        )
        if rows:
            OutboundEmail.objects.filter(pk__in=[row.pk for row in rows]).update(next_attempt_at=now + LEASE)
    return rows


def _deliver_lot(email_ids: Sequence[int]) -> int:
    rows = claim_batch(email_ids)
    return send_leased(rows) if rows else 0


def send_leased(rows: Sequence[OutboundEmail]) -> int:
    """Send rows this process holds the lease on (claimed, or stored leased), but not to an address held
    back; returns how many went out."""
    held = _held({address for row in rows for address in row.to})
    sendable = []
    for row in rows:
        hold = next(
            (held[address.strip().lower()] for address in row.to if address.strip().lower() in held), None
        )
        if hold is None:
            sendable.append(row)
        else:
            _hold_back(row, hold)
    return _send(sendable) if sendable else 0


def _send(rows: list[OutboundEmail]) -> int:
    """Send each row over one connection, and mark it sent right after, so that a crash afterwards re-sends
    no row the lot sent before it; returns how many went out. A row that fails (the connection
    too) is recorded for its next attempt, as ``outbox.deliver`` records it, and the connection is opened
    again for the next row: the failure may have broken it."""
    sent = 0
    mailer, connected = mailers.default, False
    try:
        for row in rows:
            try:
                if not connected:
                    mailer.open()
                    connected = True
                mailer.send_messages([message_of(row)])
            except Exception as error:  # noqa: BLE001 - any transport failure is retried, and recorded
                _record_failure(row, error)
                mailer.close()
                connected = False
            else:
                _mark_sent(row)
                sent += 1
    finally:
        mailer.close()
    return sent


def _held(addresses: set[str]) -> dict[str, BouncingAddress]:
    """The addresses among these that mail is held back from (they keep bouncing), in one query."""
    wanted = {address.strip().lower() for address in addresses}
    rows = BouncingAddress.objects.filter(address__in=wanted, held_since__isnull=False)
    return {row.address: row for row in rows}


def _hold_back(row: OutboundEmail, hold: BouncingAddress) -> None:
    row.status, row.next_attempt_at = OutboundEmail.Status.HELD, None
    row.last_error = (
        f"Held back: {hold.address} bounced {hold.bounces} times, last {hold.last_diagnostic or hold.last_status}."
    )[:2000]
    row.save(update_fields=["status", "next_attempt_at", "last_error"])
    log.info("Email %s held back: %s keeps bouncing", row.pk, hold.address)


def _mark_sent(row: OutboundEmail) -> None:
    """What ``filter(pk=...).update(status=SENT, sent_at=now, next_attempt_at=None, attempts=F("attempts")
    + 1)`` runs, written once per kind of database: the ORM compiled it again for each of the half a dozen
    emails a new ticket sends, a tenth of the worker's time."""
    connection = connections[row._state.db or DEFAULT_DB_ALIAS]
    sql = _MARK_SENT.get(connection.vendor) or _mark_sent_sql(connection)
    sent_at = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [OutboundEmail.Status.SENT, sent_at, row.pk])


_MARK_SENT: dict[str, str] = {}


def _mark_sent_sql(connection: BaseDatabaseWrapper) -> str:
    meta, quote = OutboundEmail._meta, connection.ops.quote_name
    columns = {field.name: quote(field.column) for field in meta.concrete_fields if field.column}
    pk, status, sent_at, next_attempt, attempts = (
        columns[name] for name in ("id", "status", "sent_at", "next_attempt_at", "attempts")
    )
    # The model's own table and column names, quoted; every value is a parameter.
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {status} = %s, {sent_at} = %s, {next_attempt} = NULL,"  # noqa: S608
        f" {attempts} = {attempts} + 1 WHERE {pk} = %s"
    )
    _MARK_SENT[connection.vendor] = sql
    return sql


def _record_failure(row: OutboundEmail, error: Exception) -> None:
    row.attempts += 1
    count_failure(row, error, max_attempts=MAX_ATTEMPTS, gave_up=OutboundEmail.Status.FAILED)
    log.warning("Email %s failed (attempt %s): %s", row.pk, row.attempts, row.last_error)
    row.save(update_fields=FAILURE_FIELDS)
