"""Queue an email as an outbox row and deliver it from the task queue, retrying on failure."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from helpline.core.prepared import PreparedQuery
from helpline.core.retries import FAILURE_FIELDS, count_failure
from helpline.mail.bounces import held
from helpline.mail.messages import message_of
from helpline.mail.models import OutboundEmail
from helpline.mail.threading import new_message_id

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
# The lease a sender holds on a row while delivering; a crashed sender's row comes due again after it.
LEASE = timedelta(minutes=5)


def queue_email(
    *,
    to: list[str],
    subject: str,
    body_text: str,
    body_html: str = "",
    reason: str,
    headers: dict[str, str] | None = None,
    ticket_id: int | None = None,
    entry_id: int | None = None,
    from_email: str = "",
    reply_to: str = "",
) -> OutboundEmail | None:
    """Store the email, with a new Message-ID, and hand it to the task queue once the surrounding
    transaction commits. Returns None, storing nothing, for an email without recipients."""
    recipients = sorted({address.strip() for address in to if address and address.strip()})
    if not recipients:
        return None
    fields = {
        "to": recipients,
        "recipient": recipients[0] if len(recipients) == 1 else "",
        "subject": subject[:255],
        "body_text": body_text,
        "body_html": body_html,
        "headers": headers or {},
        "reason": reason,
        "ticket_id": ticket_id,
        "entry_id": entry_id,
        "from_email": from_email,
        "reply_to": reply_to,
        "message_id": new_message_id(),
        "next_attempt_at": timezone.now(),
    }
    email = OutboundEmail.objects.create(**fields)
    deliver_after_commit([email.pk])
    return email


@dataclass(frozen=True)
class Keyed:
    """An email to one recipient, named by a key that makes queueing it twice a no-op."""

    key: str
    to: str
    subject: str
    body_text: str
    reason: str
    body_html: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    ticket_id: int | None = None
    entry_id: int | None = None
    from_email: str = ""
    reply_to: str = ""
    # Chosen by the caller when later emails of its lot must name this one (threading); else a new one.
    message_id: str = ""


def queue_keyed_emails(emails: Sequence[Keyed]) -> list[int]:
    """Store the emails whose keys are not stored yet, each with a new Message-ID, in two queries; returns
    the new rows' ids (the caller hands them to ``deliver_after_commit``). Precondition: nothing else queues these keys at the same
    time (the caller holds a lock on what the keys name)."""
    return [row.pk for row in store_keyed_emails(emails)]


def store_keyed_emails(
    emails: Sequence[Keyed], *, leased: bool = False, new_keys: bool = False
) -> list[OutboundEmail]:
    """``queue_keyed_emails``, returning the new rows. ``leased``: stored already claimed by the caller, who
    sends them itself once they have committed (``batches.send_leased``); should it die first, they come
    due when the lease runs out. ``new_keys``: the caller knows that none of the keys can be stored yet
    (what they name was never tried), which saves looking."""
    wanted = {email.key[:300]: email for email in emails if email.to.strip()}
    if not wanted:
        return []
    stored = (
        set()
        if new_keys
        else set(OutboundEmail.objects.filter(key__in=list(wanted)).values_list("key", flat=True))
    )
    now = timezone.now()
    return OutboundEmail.objects.bulk_create(
        OutboundEmail(
            key=key,
            to=[email.to.strip()],
            recipient=email.to.strip(),
            subject=email.subject[:255],
            body_text=email.body_text,
            body_html=email.body_html,
            headers=email.headers,
            reason=email.reason,
            ticket_id=email.ticket_id,
            entry_id=email.entry_id,
            from_email=email.from_email,
            reply_to=email.reply_to,
            message_id=email.message_id or new_message_id(),
            next_attempt_at=now + LEASE if leased else now,
        )
        for key, email in wanted.items()
        if key not in stored
    )


# The latest emails a ticket's conversation is read from: read for every ticket a lot of notifications
# writes to, so compiled once per connection (core.prepared).
CONVERSATION_ROWS = 200
_LATEST_SENT = PreparedQuery(
    lambda ticket_id: (
        OutboundEmail.objects.filter(ticket_id=ticket_id, message_id__isnull=False)
        .exclude(recipient="")
        .order_by("-id")
        .values_list("recipient", "message_id")[:CONVERSATION_ROWS]
    )
)


def conversation(ticket_id: int) -> dict[str, list[str]]:
    """The Message-IDs of the ticket's latest emails (at most CONVERSATION_ROWS), by lower-cased
    recipient, oldest first: what each person was sent, for the next email to them to continue."""
    sent = _LATEST_SENT.rows(ticket_id)
    by_recipient: dict[str, list[str]] = {}
    for recipient, message_id in reversed(sent):
        if message_id:  # always, by the filter; the column allows null for rows from before
            by_recipient.setdefault(recipient.lower(), []).append(message_id)
    return by_recipient


def deliver_after_commit(email_ids: list[int]) -> None:
    """One task for the lot, once the transaction that stored them commits."""
    if not email_ids:
        return
    from helpline.mail.tasks import deliver_emails_task

    ids = list(email_ids)
    transaction.on_commit(lambda: deliver_emails_task(ids))


def claim(email_id: int) -> OutboundEmail | None:
    """Take the row for delivery if it is still due; the conditional UPDATE lets one sender win."""
    now = timezone.now()
    won = OutboundEmail.objects.filter(
        pk=email_id, status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    return OutboundEmail.objects.get(pk=email_id) if won else None


def deliver(email_id: int) -> bool:
    """Send one outbox row if due. Returns True when it went out."""
    email = claim(email_id)
    if email is None:
        return False
    hold = next((row for row in map(held, email.to) if row is not None), None)
    if hold is not None:
        email.status, email.next_attempt_at = OutboundEmail.Status.HELD, None
        email.last_error = (
            f"Held back: {hold.address} bounced {hold.bounces} times, last {hold.last_diagnostic or hold.last_status}."
        )[:2000]
        email.save(update_fields=["status", "next_attempt_at", "last_error"])
        log.info("Email %s held back: %s keeps bouncing", email.pk, hold.address)
        return False
    message = message_of(email)
    email.attempts += 1
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - any transport failure is retried, and recorded
        count_failure(email, exc, max_attempts=MAX_ATTEMPTS, gave_up=OutboundEmail.Status.FAILED)
        log.warning("Email %s failed (attempt %s): %s", email.pk, email.attempts, email.last_error)
        email.save(update_fields=FAILURE_FIELDS)
        return False
    email.status = OutboundEmail.Status.SENT
    email.sent_at = timezone.now()
    email.next_attempt_at = None
    email.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at"])
    return True


def due_emails() -> list[int]:
    return list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.PENDING, next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)[:500]
    )
