"""What kind of mail a received message is, for what the intake may send back to it.

- ``LOOP``: Helpline's own mail come back (its ``X-Loop`` marker, or sent from one of the desk's own
  mailbox addresses). Not processed: processing it is how mail loops start.
- ``BOUNCE``: a delivery report. Recorded on the email it reports, never as a message from a person.
- ``AUTOMATIC``: written by a program (an out-of-office reply, a list, a daemon, a notification system).
  Processed, but nothing automatic may be sent back to it (RFC 3834).
- ``PERSON``: everything else. May get the automatic acknowledgement.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from helpline.inbound.message import Bounce, ParsedMessage
from helpline.mail.threading import LOOP_HEADER, LOOP_MARKER

# Helpline marks the mail it sends with this header; mail that carries it came from Helpline.
# Helpline marks the mail it sends (helpline.mail.threading); mail carrying the mark came from a Helpline desk.
LOOP_VALUE = LOOP_MARKER

_DAEMONS = {"mailer-daemon", "mailer_daemon", "mailerdaemon", "mail-daemon", "postmaster"}
# RFC 3834 section 2: owner-*, *-request and the like belong to list software; no-reply addresses take none.
_NO_REPLY = re.compile(r"^(owner-.+|.+-(request|owner|bounces?)|no-?reply|do-?not-?reply|bounces?)$")
_LIST_HEADERS = ("list-id", "list-unsubscribe", "list-post", "mailing-list", "x-mailing-list")
_BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply", "auto-reply"}
_AUTO_RESPONSE_MARKS = ("x-autoreply", "x-autorespond", "x-autoresponse", "x-autoresponder")
# X-Auto-Response-Suppress (Microsoft): the kinds of automatic answer the sender asks not to get.
_SUPPRESS_AUTO_REPLY = {"all", "autoreply", "oof"}
_AUTO_SUBJECT = re.compile(
    r"^(automatic reply|auto-?reply|auto response|out of (the )?office( reply)?|abwesenheitsnotiz"
    r"|automatische antwort|réponse automatique|respuesta automática|risposta automatica)\s*:",
    re.IGNORECASE,
)


class Kind(StrEnum):
    PERSON = "person"
    AUTOMATIC = "automatic"
    BOUNCE = "bounce"
    LOOP = "loop"


@dataclass(frozen=True)
class Classification:
    kind: Kind
    reason: str = ""  # why it is not a person's mail, for the record
    bounce: Bounce | None = None

    @property
    def may_autoreply(self) -> bool:
        """Whether an automatic reply (the acknowledgement of a new ticket) may go to the sender."""
        return self.kind is Kind.PERSON


def classify(message: ParsedMessage, own_addresses: Iterable[str]) -> Classification:
    """Classify a parsed message. ``own_addresses``: the desk's mailbox addresses (any case; a
    +tag on either side is ignored)."""
    loop = _loop_reason(message, own_addresses)
    if loop:
        return Classification(Kind.LOOP, loop)
    if message.bounce is not None:
        bounce = message.bounce
        reason = (
            f"A delivery report ({bounce.action or 'failed'}{': ' + bounce.status if bounce.status else ''})."
        )
        return Classification(Kind.BOUNCE, reason, bounce)
    automatic = automatic_reason(message)
    if automatic:
        return Classification(Kind.AUTOMATIC, automatic)
    return Classification(Kind.PERSON)


def _loop_reason(message: ParsedMessage, own_addresses: Iterable[str]) -> str:
    if any(value.strip().lower() == LOOP_VALUE for value in message.headers.get(LOOP_HEADER.lower(), ())):
        return f"It carries Helpline's own {LOOP_HEADER} marker."
    own = {_without_tag(address) for address in own_addresses if address}
    if message.sender is not None and _without_tag(message.sender.email) in own:
        return f"It was sent from the desk's own address {message.sender.email}."
    return ""


def automatic_reason(message: ParsedMessage) -> str:
    """Why the message is automatic mail that no automatic reply may go to, or "" when it is not."""
    auto_submitted = message.header("auto-submitted").split(";", 1)[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}."
    for name in ("precedence", "x-precedence"):
        value = message.header(name).strip().lower()
        if value in _BULK_PRECEDENCE:
            return f"Precedence: {value}."
    for name in _LIST_HEADERS:
        if name in message.headers:
            return f"Mailing-list mail ({name})."
    for name in _AUTO_RESPONSE_MARKS:
        if name in message.headers and message.header(name).strip().lower() not in ("no", "false", "0"):
            return f"Marked as an automatic response ({name})."
    suppressed = {word.strip().lower() for word in message.header("x-auto-response-suppress").split(",")}
    if suppressed & _SUPPRESS_AUTO_REPLY:
        return "The sender asks for no automatic replies (X-Auto-Response-Suppress)."
    if "x-ms-exchange-inbox-rules-loop" in message.headers:
        return "Sent by a mailbox rule (X-MS-Exchange-Inbox-Rules-Loop)."
    if _AUTO_SUBJECT.match(message.subject):
        return "The subject says it is an automatic reply."
    return _sender_reason(message) or _report_reason(message)


def _sender_reason(message: ParsedMessage) -> str:
    if message.header("return-path").strip() == "<>":
        return "The envelope sender is empty (Return-Path: <>)."
    if message.sender is None:
        return ""
    local = message.sender.email.rsplit("@", 1)[0].lower()
    if local in _DAEMONS:
        return f"Sent by a mail system ({message.sender.email})."
    if _NO_REPLY.match(local):
        return f"The sender {message.sender.email} takes no replies."
    return ""


def _report_reason(message: ParsedMessage) -> str:
    if message.content_type == "multipart/report":
        return f"A report ({message.report_type or 'unknown type'})."
    return ""


def _without_tag(address: str) -> str:
    local, at, domain = address.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}{at}{domain}" if at else domain
