"""Filter rules on mail: what they see beyond the message (its mailbox and headers), and a rejection turned
into a refusal kept with the rule's name, answered with the rule's reply where one may be sent."""

from collections.abc import Iterator
from contextlib import contextmanager

from helpline.inbound.message import ParsedMessage
from helpline.inbound.models import Mailbox
from helpline.inbound.outcomes import Refused
from helpline.inbound.senders import may_auto_reply
from helpline.mail.outbox import queue_email
from helpline.people.requesters import Contact
from helpline.tickets.actions import Envelope, RejectedByRule


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
        if rejection.reply and not automatic and may_auto_reply(sender):
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
