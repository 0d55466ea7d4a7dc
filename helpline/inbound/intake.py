"""The email intake: a received message becomes a ticket, a reply, a note or a bounce record, or is refused
and kept with its reason. Called by the pipe, the mailbox fetcher and the osTicket raw-email endpoint.

Every message is a stored row before it is read (``store.store_raw``), and processing it is idempotent: a
message processed once is not processed again, and one whose processing failed is retried from its row.
Every change goes through the ticket actions, as the mailbox's channel actor (``people.actors.mail_intake``)
or as the agent who answered.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from helpline.core.throttle import take
from helpline.inbound.classify import Kind, classify
from helpline.inbound.matching import Match, find_ticket, participant, replying_agent
from helpline.inbound.message import Bounce, ParsedMessage, Part, Unparseable
from helpline.inbound.models import BannedAddress, Mailbox, RawMessage
from helpline.inbound.parsing import parse_message
from helpline.inbound.quotes import trim_reply
from helpline.inbound.store import store_raw
from helpline.mail.bounces import count_bounce
from helpline.mail.models import OutboundEmail
from helpline.mail.outbox import queue_email
from helpline.mail.threading import NOTE_TAG
from helpline.people.actors import ChannelActor, mail_intake
from helpline.people.requesters import Contact, normalize_email
from helpline.tickets.actions import (
    Envelope,
    RejectedByRule,
    Routing,
    add_note,
    post_message,
    post_reply,
    receive_ticket,
    record_bounce,
)
from helpline.tickets.models import Source, ThreadEntry, Ticket
from helpline.tickets.policy import NotAllowed

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
# A stored message not yet processed (or failed) is taken up again after this, doubling with each attempt.
RETRY_AFTER = timedelta(minutes=2)


class Outcome(StrEnum):
    NEW_TICKET = "new ticket"
    FOLLOW_UP = "follow-up ticket"
    REPLY = "reply"
    RESPONSE = "agent response"
    NOTE = "agent note"
    BOUNCE = "bounce"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    FAILED = "failed"


@dataclass(frozen=True)
class Result:
    raw: RawMessage
    outcome: Outcome
    ticket: Ticket | None = None
    reason: str = ""

    # For a rejected message: whether its sender should hear of it (the mail server bounces it); never for
    # a loop, where a bounce would only feed the loop.
    tell_sender: bool = True


class Refused(Exception):
    """The message cannot become a ticket or a reply; it is kept, with this reason, for administrators."""

    def __init__(self, reason: str, *, tell_sender: bool = True):
        super().__init__(reason)
        self.tell_sender = tell_sender


def receive_email(data: bytes, *, source: str, mailbox: Mailbox | None = None) -> Result:
    """Store the raw message (once), then process it. A message received before is not processed again.
    Raises ``store.TooLarge`` for a message over the size limit (nothing stored)."""
    raw, new = store_raw(data, source=source, mailbox=mailbox)
    if not new and raw.status not in (RawMessage.Status.RECEIVED, RawMessage.Status.FAILED):
        return Result(raw, Outcome.DUPLICATE, raw.ticket, raw.reason)
    return process_stored(raw)


def process_stored(raw: RawMessage) -> Result:
    """Process a stored message that has not been processed yet, in one transaction: what it changes and
    its own status commit together. A failure (a bug, the database going away) leaves it failed, with the
    reason, for the sweep or an administrator to retry; a refusal leaves it rejected."""
    try:
        with transaction.atomic():
            locked = RawMessage.objects.select_for_update().filter(pk=raw.pk).first()
            if locked is None or locked.status not in (RawMessage.Status.RECEIVED, RawMessage.Status.FAILED):
                return Result(locked or raw, Outcome.DUPLICATE, getattr(locked, "ticket", None))
            return _process(locked)
    except Exception as error:  # noqa: BLE001 - recorded on the row; the message is kept and retried
        _record_failure(raw, error)  # raises in its turn when the database itself is gone
        return Result(raw, Outcome.FAILED, reason=f"{type(error).__name__}: {error}")


def _process(raw: RawMessage) -> Result:
    try:
        parsed = parse_message(bytes(raw.data))
    except Unparseable as error:
        return _finish(raw, Outcome.REJECTED, reason=f"The message could not be read: {error}")
    raw.sender = (parsed.sender.email if parsed.sender else "").replace("\x00", "")[:254]
    raw.subject = parsed.subject.replace("\x00", "")[:255]
    try:
        return _route(raw, parsed)
    except Refused as refusal:
        result = _finish(raw, Outcome.REJECTED, reason=str(refusal))
        return Result(result.raw, result.outcome, reason=result.reason, tell_sender=refusal.tell_sender)


def _route(raw: RawMessage, parsed: ParsedMessage) -> Result:
    mailbox = raw.mailbox or choose_mailbox(parsed)
    if mailbox is None:
        raise Refused("No mailbox is configured to receive this mail (and none is the default).")
    raw.mailbox = mailbox
    verdict = classify(parsed, own_addresses())
    if verdict.kind is Kind.LOOP:
        raise Refused(f"A mail loop: {verdict.reason}", tell_sender=False)
    if verdict.kind is Kind.BOUNCE and verdict.bounce is not None:
        return _bounce(raw, verdict.bounce)
    sender = _usable_sender(parsed)
    _refuse_banned(sender)
    automatic = not verdict.may_autoreply
    actor = mail_intake(
        mailbox_id=mailbox.pk, mailbox_name=mailbox.address, department_id=mailbox.department_id
    )
    match = find_ticket(parsed)
    if match is not None:
        handled = _answer(raw, parsed, match, sender, actor, automatic=automatic)
        if handled is not None:
            return handled
    return _new_ticket(raw, parsed, sender, mailbox, actor, automatic=automatic, follows=None)


def choose_mailbox(parsed: ParsedMessage) -> Mailbox | None:
    """The active mailbox whose address is among the recipients, else the default one: mail reaches a desk
    through aliases and Bcc, so an unknown To is no reason to refuse it."""
    recipients = set(parsed.recipients)
    for mailbox in Mailbox.objects.filter(is_active=True).select_related("department"):
        if mailbox.address.lower() in recipients or _tagged_to(mailbox, recipients):
            return mailbox
    return Mailbox.objects.filter(is_active=True, is_default=True).select_related("department").first()


def _tagged_to(mailbox: Mailbox, recipients: set[str]) -> bool:
    local, _, domain = mailbox.address.lower().partition("@")
    return any(r.startswith(local + "+") and r.endswith("@" + domain) for r in recipients)


def own_addresses() -> frozenset[str]:
    """Addresses the desk sends or receives at: mail from them is mail from Helpline itself."""
    addresses = {address.lower() for address in Mailbox.objects.values_list("address", flat=True)}
    addresses.add(_address_of(settings.DEFAULT_FROM_EMAIL))
    return frozenset(address for address in addresses if address)


def _address_of(header: str) -> str:
    from email.utils import parseaddr

    return parseaddr(header)[1].lower()


def _usable_sender(parsed: ParsedMessage) -> Contact:
    if parsed.sender is None:
        raise Refused("The message has no sender (no usable From address).")
    try:
        email = normalize_email(parsed.sender.email)
    except ValidationError:
        raise Refused(
            f"The sender's address is not a usable address: {parsed.sender.email[:100]!r}."
        ) from None
    return Contact(email=email, name=parsed.sender.name)


def _refuse_banned(sender: Contact) -> None:
    address = sender.email.lower()
    domain = "@" + address.rpartition("@")[2]
    banned = BannedAddress.objects.filter(Q(pattern__iexact=address) | Q(pattern__iexact=domain)).first()
    if banned is not None:
        raise Refused(
            f"The sender is banned ({banned.pattern}{': ' + banned.reason if banned.reason else ''})."
        )


def _bounce(raw: RawMessage, bounce: Bounce) -> Result:
    """A delivery report: recorded on the ticket the returned email was about, never as a message."""
    sent = None
    if bounce.original_message_id:
        sent = OutboundEmail.objects.filter(
            message_id=bounce.original_message_id, ticket_id__isnull=False
        ).first()
    ticket = Ticket.objects.filter(pk=sent.ticket_id).first() if sent is not None and sent.ticket_id else None
    if sent is None or ticket is None:
        # Kept for administrators; never answered (a bounce to a bounce only feeds a loop).
        raise Refused(
            "An unmatched bounce: a delivery report about no email Helpline sent.", tell_sender=False
        )
    actor = _bounce_actor(raw)
    recipient = bounce.recipient or sent.recipient
    count_bounce(recipient, status=bounce.status, diagnostic=bounce.diagnostic)
    record_bounce(
        actor=actor,
        ticket=ticket,
        recipient=recipient,
        status=bounce.status,
        diagnostic=bounce.diagnostic,
        message_id=bounce.original_message_id,
    )
    return _finish(raw, Outcome.BOUNCE, ticket=ticket)


def _bounce_actor(raw: RawMessage) -> ChannelActor:
    mailbox = raw.mailbox
    assert mailbox is not None
    return mail_intake(
        mailbox_id=mailbox.pk, mailbox_name=mailbox.address, department_id=mailbox.department_id
    )


def _answer(
    raw: RawMessage,
    parsed: ParsedMessage,
    match: Match,
    sender: Contact,
    actor: ChannelActor,
    *,
    automatic: bool,
) -> Result | None:
    """A reply on the matched ticket, from a participant or an agent working it; None when the sender is
    neither (the message then opens a ticket of its own) or the ticket is closed for too long."""
    ticket = match.ticket
    reply = trim_reply(parsed.text, parsed.html)
    body, body_format = (reply.html, "html") if reply.html else (reply.text, "text")
    body = with_refusals(body, body_format, parsed)
    original = parsed.text if reply.trimmed else ""
    files = attachments_of(parsed.attachments)
    agent = replying_agent(match, sender.email)
    if agent is not None:
        if _is_note(parsed, raw.mailbox):
            entry = add_note(
                actor=agent,
                ticket=ticket,
                body=body,
                body_format=body_format,
                attachments=files,
                original=original,
            )
            return _finish(raw, Outcome.NOTE, ticket=ticket, entry=entry)
        entry = post_reply(
            actor=agent,
            ticket=ticket,
            body=body,
            body_format=body_format,
            attachments=files,
            original=original,
        )
        return _finish(raw, Outcome.RESPONSE, ticket=ticket, entry=entry)
    author = participant(ticket, sender.email)
    if author is None:
        return None
    if _closed_too_long(ticket):
        mailbox = raw.mailbox
        assert mailbox is not None
        return _new_ticket(raw, parsed, sender, mailbox, actor, automatic=automatic, follows=ticket)
    try:
        with rule_rejections(parsed, sender, raw.mailbox, automatic=automatic):
            entry = post_message(
                actor=actor,
                ticket=ticket,
                body=body,
                body_format=body_format,
                attachments=files,
                author=author,
                reopen=not automatic,
                original=original,
                envelope=envelope_of(parsed, raw.mailbox),
            )
    except NotAllowed:
        return None
    return _finish(raw, Outcome.REPLY, ticket=ticket, entry=entry)


def _is_note(parsed: ParsedMessage, mailbox: Mailbox | None) -> bool:
    """Sent to a note address of the mailbox (``support+note@...``, the one agents' alerts offer, or the
    mailbox's own tag): an internal note, not a response."""
    if mailbox is None:
        return False
    local, _, domain = mailbox.address.lower().partition("@")
    tags = {NOTE_TAG, mailbox.note_tag.lower()} - {""}
    return any(f"{local}+{tag}@{domain}" in parsed.recipients for tag in tags)


def _closed_too_long(ticket: Ticket) -> bool:
    days = settings.HELPLINE_EMAIL_REOPEN_DAYS
    if ticket.state != "closed" or ticket.closed_at is None:
        return False
    return days == 0 or timezone.now() - ticket.closed_at > timedelta(days=days)


def _new_ticket(
    raw: RawMessage,
    parsed: ParsedMessage,
    sender: Contact,
    mailbox: Mailbox,
    actor: ChannelActor,
    *,
    automatic: bool,
    follows: Ticket | None,
) -> Result:
    body, body_format = (parsed.html, "html") if parsed.html else (parsed.text, "text")
    body = with_refusals(body, body_format, parsed)
    cc = []
    if mailbox.cc_as_collaborators:
        own = own_addresses() | {sender.email.lower()}
        cc = [Contact(email=a.email, name=a.name) for a in parsed.cc if a.email.lower() not in own][:10]
    with rule_rejections(parsed, sender, mailbox, automatic=automatic):
        ticket = receive_ticket(
            sender=sender,
            channel=Source.EMAIL,
            subject=parsed.subject,
            body=body or "(no text)",
            body_format=body_format,
            attachments=attachments_of(parsed.attachments),
            cc=_valid(cc),
            routing=Routing(topic=mailbox.topic, department=mailbox.department),
            entered_by=actor,
            confirm=not automatic and _may_auto_reply(sender),
            follow_up_of=follows,
            email_thread_id=parsed.message_id,
            envelope=envelope_of(parsed, mailbox),
        )
    entry = ticket.entries.filter(kind="message").order_by("id").first()
    return _finish(raw, Outcome.FOLLOW_UP if follows else Outcome.NEW_TICKET, ticket=ticket, entry=entry)


def envelope_of(parsed: ParsedMessage, mailbox: Mailbox | None) -> Envelope:
    """What the filter rules may test beyond the message: the mailbox it came to and its headers."""
    return Envelope(mailbox_address=mailbox.address if mailbox else "", headers=parsed.headers)


@contextmanager
def rule_rejections(
    parsed: ParsedMessage, sender: Contact, mailbox: Mailbox | None, *, automatic: bool
) -> Iterator[None]:
    """A filter rule's rejection becomes a refusal kept with the rule's name. The rule's reply, if it has
    one, is sent to the sender (never to an automatic message, and within the auto-reply limit); the mail
    server is not asked to bounce it as well, and a silent rejection stays silent."""
    try:
        yield
    except RejectedByRule as rejection:
        if rejection.reply and not automatic and _may_auto_reply(sender):
            _send_rejection(parsed, sender, mailbox, rejection.reply)
        raise Refused(f"Rejected by the filter rule {rejection.rule_name}.", tell_sender=False) from None


def _send_rejection(parsed: ParsedMessage, sender: Contact, mailbox: Mailbox | None, reply: str) -> None:
    original = " ".join(parsed.subject.split())
    subject = original if original.lower().startswith("re:") else f"Re: {original}"
    headers = {"Auto-Submitted": "auto-replied"}
    if parsed.message_id:
        headers["In-Reply-To"] = headers["References"] = parsed.message_id
    queue_email(
        to=[sender.email],
        subject=subject,
        body_text=reply,
        reason="rule_rejection",
        headers=headers,
        from_email=mailbox.address if mailbox else "",
    )


def _valid(contacts: list[Contact]) -> list[Contact]:
    valid = []
    for contact in contacts:
        try:
            normalize_email(contact.email)
        except ValidationError:
            continue
        valid.append(contact)
    return valid


def _may_auto_reply(sender: Contact) -> bool:
    """Automatic replies are rate-limited per sender, so two auto-responders cannot keep each other busy."""
    limit = settings.HELPLINE_AUTOREPLIES_PER_HOUR
    if not limit:
        return True
    return take("autoreply", sender.email.lower(), limit=limit, period=timedelta(hours=1)) is None


def attachments_of(parts: tuple[Part, ...]) -> list[SimpleUploadedFile]:
    """The message's files as uploads for the ticket actions; an inline image keeps its Content-ID, so the
    thread shows it where the message does."""
    files = []
    for part in parts:
        upload = SimpleUploadedFile(part.filename or "attachment", part.data, content_type=part.content_type)
        upload.content_id = part.content_id if part.inline else ""  # type: ignore[attr-defined]
        files.append(upload)
    return files


def with_refusals(body: str, body_format: str, parsed: ParsedMessage) -> str:
    """The body, followed by a line for each part that was not kept and why: never dropped silently."""
    if not parsed.refused:
        return body
    lines = [f"Not attached: {part.filename or part.content_type} ({part.reason})" for part in parsed.refused]
    if body_format == "html":
        from html import escape

        return body + "".join(f"<p><em>{escape(line)}</em></p>" for line in lines)
    return body.rstrip() + "\n\n" + "\n".join(f"[{line}]" for line in lines)


def _finish(
    raw: RawMessage,
    outcome: Outcome,
    *,
    ticket: Ticket | None = None,
    entry: ThreadEntry | None = None,
    reason: str = "",
) -> Result:
    raw.status = RawMessage.Status.REJECTED if outcome == Outcome.REJECTED else RawMessage.Status.PROCESSED
    raw.outcome, raw.reason, raw.ticket, raw.entry = outcome.value, reason[:2000], ticket, entry
    raw.processed_at = timezone.now()
    raw.attempts += 1
    raw.save(update_fields=[*FINISH_FIELDS])
    return Result(raw, outcome, ticket, reason)


FINISH_FIELDS = (
    "status",
    "outcome",
    "reason",
    "ticket",
    "entry",
    "processed_at",
    "attempts",
    "mailbox",
    "sender",
    "subject",
)


def _record_failure(raw: RawMessage, error: Exception) -> None:
    log.exception("Received message %s could not be processed", raw.pk)
    RawMessage.objects.filter(
        pk=raw.pk, status__in=[RawMessage.Status.RECEIVED, RawMessage.Status.FAILED]
    ).update(
        status=RawMessage.Status.FAILED,
        reason=f"{type(error).__name__}: {error}"[:2000],
        attempts=F("attempts") + 1,
        processed_at=timezone.now(),
    )


def retry_failed(limit: int = 100) -> int:
    """Process again the messages still waiting: received but never processed (a crash between storing and
    processing) or failed, with a pause that grows with the attempts; after MAX_ATTEMPTS they wait for an
    administrator. Returns how many were processed now."""
    now = timezone.now()
    waiting = RawMessage.objects.filter(
        status__in=[RawMessage.Status.RECEIVED, RawMessage.Status.FAILED], attempts__lt=MAX_ATTEMPTS
    ).order_by("received_at")[:limit]
    done = 0
    for raw in waiting:
        last = raw.processed_at or raw.received_at
        if now - last < RETRY_AFTER * 2 ** max(raw.attempts - 1, 0):
            continue
        done += process_stored(raw).outcome not in (Outcome.FAILED, Outcome.DUPLICATE)
    return done
