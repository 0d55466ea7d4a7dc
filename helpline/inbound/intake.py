"""The email intake: a received message becomes a ticket, a reply, a note or a bounce record, or is refused
and kept with its reason. Called by the pipe, the mailbox fetcher and the osTicket raw-email endpoint.

Every message is a stored row before it is read (``store.store_raw``), and processing it is idempotent: a
message processed once is not processed again, and one whose processing failed is retried from its row.
Every change goes through the ticket actions, as the mailbox's channel actor (``people.actors.mail_intake``)
or as the agent who answered.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from helpline.core.desk import desk
from helpline.inbound.bodies import attachments_of, valid_contacts, with_refusals
from helpline.inbound.classify import Kind, classify
from helpline.inbound.matching import Match, find_ticket, participant, replying_agent
from helpline.inbound.message import Bounce, ParsedMessage, Unparseable
from helpline.inbound.models import Mailbox, RawMessage
from helpline.inbound.outcomes import Outcome, Refused, Result
from helpline.inbound.parsing import parse_message
from helpline.inbound.quotes import trim_reply
from helpline.inbound.rule_replies import envelope_of, rule_rejections
from helpline.inbound.senders import (
    choose_mailbox,
    may_auto_reply,
    own_addresses,
    refuse_banned,
    usable_sender,
)
from helpline.inbound.store import store_raw
from helpline.mail.bounces import bounced_recipient, count_bounce
from helpline.mail.models import OutboundEmail
from helpline.mail.threading import NOTE_TAG
from helpline.people.actors import ChannelActor, mail_intake
from helpline.people.requesters import Contact
from helpline.tickets.actions import (
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
        parsed = parse_message(
            bytes(raw.data), limits=desk()
        )  # files the actions would refuse: refused parts
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
    sender = usable_sender(parsed)
    refuse_banned(sender)
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
    recipient = bounced_recipient(sent, bounce.recipient)
    if recipient is None:
        # Forged (a requester naming an agent), or a forwarder's own failure after our email arrived.
        raise Refused(
            f"A delivery report about {bounce.recipient}, to whom the email it reports was not sent.",
            tell_sender=False,
        )
    actor = _bounce_actor(raw)
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
        # An agent's automatic mail (an out-of-office reply to an alert) is never a response to the
        # requester: like a requester's automatic mail it is kept on the ticket and causes nothing, here as a
        # note, so colleagues see the agent is away.
        as_note = automatic or _is_note(parsed, raw.mailbox)
        write = add_note if as_note else post_reply
        try:
            entry = write(
                actor=agent,
                ticket=ticket,
                body=body,
                body_format=body_format,
                attachments=files,
                original=original,
            )
        except NotAllowed as refusal:
            raise Refused(str(refusal), tell_sender=not automatic) from None
        return _finish(raw, Outcome.NOTE if as_note else Outcome.RESPONSE, ticket=ticket, entry=entry)
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
    days = desk().reopen_days  # the administrator's, else HELPLINE_EMAIL_REOPEN_DAYS
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
    try:
        with rule_rejections(parsed, sender, mailbox, automatic=automatic):
            ticket = receive_ticket(
                sender=sender,
                channel=Source.EMAIL,
                subject=parsed.subject,
                body=body or "(no text)",
                body_format=body_format,
                attachments=attachments_of(parsed.attachments),
                cc=valid_contacts(cc),
                routing=Routing(topic=mailbox.topic, department=mailbox.department),
                entered_by=actor,
                confirm=not automatic and may_auto_reply(sender),
                follow_up_of=follows,
                email_thread_id=parsed.message_id,
                envelope=envelope_of(parsed, mailbox),
            )
    except NotAllowed as refusal:
        # The policy's refusal (the requester's limit of open tickets, a mailbox that may not open tickets
        # there) is final: kept with its message, which the mail server returns to a person's mail, and never
        # retried (a retry would open the ticket hours late once another one closes). A filter rule's
        # rejection was made a refusal of its own by rule_rejections.
        raise Refused(str(refusal), tell_sender=not automatic) from None
    entry = ticket.entries.filter(kind="message").order_by("id").first()
    return _finish(raw, Outcome.FOLLOW_UP if follows else Outcome.NEW_TICKET, ticket=ticket, entry=entry)


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
