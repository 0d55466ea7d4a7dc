"""Queue an email as an outbox row and deliver it from the task queue, retrying on failure."""

import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from helpline.mail.models import OutboundEmail

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
    key: str | None = None,
    deliver: bool = True,
) -> OutboundEmail | None:
    """Store the email; with ``deliver``, hand it to the task queue once the surrounding transaction commits
    (otherwise the caller does, with ``deliver_after_commit``). With a ``key``, an email already queued under
    that key is not queued again: returns None, as for an email without recipients."""
    recipients = sorted({address.strip() for address in to if address and address.strip()})
    if not recipients:
        return None
    fields = {
        "to": recipients,
        "subject": subject[:255],
        "body_text": body_text,
        "body_html": body_html,
        "headers": headers or {},
        "reason": reason,
        "ticket_id": ticket_id,
        "next_attempt_at": timezone.now(),
    }
    if key is None:
        email = OutboundEmail.objects.create(**fields)
    else:
        email, created = OutboundEmail.objects.get_or_create(key=key[:300], defaults=fields)
        if not created:
            return None
    if deliver:
        deliver_after_commit([email.pk])
    return email


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
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.body_text, to=email.to, headers=email.headers
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    email.attempts += 1
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - any transport failure is retried, and recorded
        email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if email.attempts >= MAX_ATTEMPTS:
            email.status = OutboundEmail.Status.FAILED
            email.next_attempt_at = None
        else:
            email.next_attempt_at = timezone.now() + timedelta(minutes=2**email.attempts)
        log.warning("Email %s failed (attempt %s): %s", email.pk, email.attempts, email.last_error)
        email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
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
