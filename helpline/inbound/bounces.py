"""Delivery reports: which email they report, to whom it failed, and why.

RFC 3464 reports (Postfix, Sendmail, Gmail, Exchange and Office 365) are read from their
``message/delivery-status`` part; the reported email's Message-ID from the returned ``message/rfc822`` or
``text/rfc822-headers`` part. The common reports that are plain text (qmail, Exim, older Exchange and
Postfix) are recognized by their sender, subject and wording, and read from their text and the copy of the
message they carry. The search through the parts is bounded: reports keep their parts near the top.
"""

import binascii
import re
from collections.abc import Iterator
from email.message import Message

from helpline.inbound.charsets import decode_bytes
from helpline.inbound.headers import addresses, clean_text, header_text, message_ids
from helpline.inbound.message import Address, Bounce
from helpline.inbound.parts import subparts

MAX_DIAGNOSTIC_CHARS = 500
_SEARCH_DEPTH = 3
_SEARCH_PARTS = 60
_STATUS_TYPES = {"message/delivery-status", "message/global-delivery-status"}
_DAEMONS = {"mailer-daemon", "mailer_daemon", "mailerdaemon", "mail-daemon", "postmaster"}
_SUBJECTS = re.compile(
    r"undeliver|delivery status notification|failure notice|returned mail|mail delivery (failed|failure)"
    r"|delivery (failure|failed|delayed)|nondeliverable|non remis|unzustellbar|no entregado|message .* delayed",
    re.IGNORECASE,
)
_WORDING = re.compile(
    r"wasn't able to deliver your message|could not be delivered to one or more|has not yet been delivered to"
    r"|following address\(es\) failed|this is the mail system at host|original message was received at"
    r"|delivery has failed to these recipients|did not reach some or all of the intended recipients"
    r"|delivery to the following recipients? (failed|has been delayed)|permanent fatal errors",
    re.IGNORECASE,
)
_DELAYED = re.compile(
    r"has not yet been delivered|delivery (has been |is )?delayed|will (continue|keep) trying|will be retried"
    r"|still trying|\(delay\)|temporary failure",
    re.IGNORECASE,
)
# Where the human part of a plain-text report ends and its copy of the message begins.
_COPY = re.compile(
    r"^[ \t]*-+ ?(below this line is a copy of the message|this is a copy of the message|original message"
    r"|enclosed are the original headers|returned message|undelivered message)|^original message headers:",
    re.IGNORECASE | re.MULTILINE,
)
_STATUS = re.compile(r"\b([245]\.\d{1,3}\.\d{1,3})\b")
_SMTP_REPLY = re.compile(r"\b[45]\d\d[ -]")
# "<address>:" at the start of a line, alone (qmail) or before the remote server's answer (Postfix).
_QMAIL_RECIPIENT = re.compile(r"^<([^<>\s]+@[^<>\s]+)>:(?:[ \t]|$)", re.MULTILINE)
# An address alone on an indented line (Exim), or followed by " on <date>" (Exchange).
_LISTED_RECIPIENT = re.compile(r"^[ \t]+<?([^<>\s]+@[^<>\s]+?)>?(?:[ \t]+on[ \t].*)?[ \t]*$", re.MULTILINE)
_MESSAGE_ID_LINE = re.compile(r"^message-id:[ \t]*(.*(?:\n[ \t]+.*)*)", re.IGNORECASE | re.MULTILINE)


def find_bounce(message: Message, *, sender: Address | None, subject: str, text: str) -> Bounce | None:
    """The bounce the message reports, or None when it is no delivery report. The recipient is the one the
    report names, unchecked: the intake counts it only for an address the reported email went to
    (``mail.bounces.bounced_recipient``)."""
    # Exim's header, which anyone can write: read only on mail from a mail system, as classify tells it.
    from_daemon = _from_daemon(message, sender)
    failed = (
        addresses([str(value) for value in message.get_all("x-failed-recipients", [])], limit=1)
        if from_daemon
        else ()
    )
    status_part = next(_parts(message, _STATUS_TYPES), None)
    is_report = (
        message.get_content_type() == "multipart/report" and _report_type(message) == "delivery-status"
    )
    if status_part is not None or is_report:
        fields = _recipient_fields(status_part) if status_part is not None else {}
        return Bounce(
            original_message_id=_original_message_id(message, ""),
            recipient=_recipient(fields.get("final-recipient") or fields.get("original-recipient", ""))
            or (failed[0].email if failed else ""),
            action=fields.get("action", "").split(" ")[0].lower() or _action(text),
            status=_first(_STATUS, fields.get("status", "")) or _first(_STATUS, text),
            diagnostic=_after_type(fields.get("diagnostic-code", ""))[:MAX_DIAGNOSTIC_CHARS],
        )
    if not failed and not (from_daemon and (_SUBJECTS.search(subject) or _WORDING.search(text[:8000]))):
        return None
    human, copy = _split_copy(text)
    return Bounce(
        original_message_id=_original_message_id(message, copy or text),
        recipient=failed[0].email if failed else _text_recipient(human),
        action=_action(human + " " + subject),
        status=_first(_STATUS, human),
        diagnostic=_text_diagnostic(human),
    )


def _report_type(message: Message) -> str:
    value = message.get_param("report-type")
    return value.strip().lower() if isinstance(value, str) else ""


def _parts(message: Message, types: set[str]) -> Iterator[Message]:
    """Parts of these types, breadth first, in the first few levels only."""
    level, seen = [message], 0
    for _ in range(_SEARCH_DEPTH + 1):
        following: list[Message] = []
        for part in level:
            seen += 1
            if seen > _SEARCH_PARTS:
                return
            if part.get_content_type() in types:
                yield part
            elif part.get_content_maintype() == "multipart":
                following.extend(subparts(part))
        level = following


def _recipient_fields(part: Message) -> dict[str, str]:
    """The per-recipient fields of a delivery-status part: the failed recipient's, else the first."""
    blocks = _field_blocks(_status_text(part))
    recipients = [block for block in blocks if "final-recipient" in block or "original-recipient" in block]
    failed = [block for block in recipients if block.get("action", "").lower().startswith("failed")]
    return (failed or recipients or [{}])[0]


def _status_text(part: Message) -> str:
    """The text of a delivery-status part. The parser made a message of each block of fields; the text is
    read back from them, and decoded when a sender encoded the part (Exchange sometimes does)."""
    blocks = subparts(part)
    text = "\n".join(
        "".join(f"{name}: {value}\n" for name, value in block.items()) + str(block.get_payload() or "")
        for block in blocks[:50]
    )
    if str(part.get("content-transfer-encoding", "")).strip().lower() == "base64":
        try:
            text = decode_bytes(binascii.a2b_base64(re.sub(r"[^A-Za-z0-9+/=]", "", text)))
        except binascii.Error:
            return ""
    return text


def _field_blocks(text: str) -> list[dict[str, str]]:
    blocks: list[dict[str, str]] = []
    for chunk in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))[:50]:
        fields: dict[str, str] = {}
        name = ""
        for line in chunk.split("\n")[:100]:
            if line[:1] in (" ", "\t") and name:
                fields[name] += " " + line.strip()
            elif ":" in line:
                name, value = line.split(":", 1)
                name = name.strip().lower()
                fields.setdefault(name, value.strip())
        blocks.append({key: clean_text(value) for key, value in fields.items()})
    return blocks


def _original_message_id(message: Message, text: str) -> str:
    """The reported email's Message-ID: from the returned message or headers, else from a copy in the text."""
    for part in _parts(message, {"message/rfc822", "message/rfc822-headers", "text/rfc822-headers"}):
        inner = subparts(part)
        if inner:
            found = message_ids([str(value) for value in inner[0].get_all("message-id", [])], keep_first=1)
        else:
            data = part.get_payload(decode=True)
            found = _message_id_in(decode_bytes(data) if isinstance(data, bytes) else "")
        if found:
            return found[0]
    found = _message_id_in(text)
    return found[0] if found else ""


def _message_id_in(text: str) -> tuple[str, ...]:
    match = _MESSAGE_ID_LINE.search(text)
    return message_ids([match[1]], keep_first=1) if match else ()


def _from_daemon(message: Message, sender: Address | None) -> bool:
    """Sent by a mail system: from MAILER-DAEMON, postmaster and the like, or with an empty envelope sender
    (the same test as ``classify``'s for automatic mail)."""
    local = sender.email.rsplit("@", 1)[0].lower() if sender else ""
    return local in _DAEMONS or header_text(str(message.get("return-path", ""))).strip() == "<>"


def _split_copy(text: str) -> tuple[str, str]:
    match = _COPY.search(text)
    return (text[: match.start()], text[match.end() :]) if match else (text, "")


def _text_recipient(human: str) -> str:
    for pattern in (_QMAIL_RECIPIENT, _LISTED_RECIPIENT):
        for match in pattern.finditer(human):
            found = addresses([match[1]], limit=1)
            if found:
                return found[0].email
    return ""


def _text_diagnostic(human: str) -> str:
    """The line that carries the remote server's answer; qmail's comes on the line after the address."""
    lines = [line.strip() for line in human.split("\n")]
    for line in lines:
        if _SMTP_REPLY.search(line) or _STATUS.search(line):
            return clean_text(line)[:MAX_DIAGNOSTIC_CHARS]
    match = _QMAIL_RECIPIENT.search(human)
    if match:
        following = [line.strip() for line in human[match.end() :].split("\n") if line.strip()]
        return clean_text(following[0])[:MAX_DIAGNOSTIC_CHARS] if following else ""
    return ""


def _action(text: str) -> str:
    return "delayed" if _DELAYED.search(text[:8000]) else "failed"


def _recipient(value: str) -> str:
    found = addresses([_after_type(value).strip("<> ")], limit=1)
    return found[0].email if found else ""


def _after_type(value: str) -> str:
    """A typed field's value without its type: "rfc822; rita@example.test" -> "rita@example.test"."""
    return clean_text(value.split(";", 1)[1] if ";" in value else value)


def _first(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text[:8000])
    return match[1] if match else ""
