"""Raw bytes of a received email -> ``message.ParsedMessage``, whatever the bytes are.

The structure is measured before the standard library parses it (``limits``), header values are decoded
without the structured header classes (``headers``), the body and files are read part by part within
their bounds (``parts``), and a delivery report is read for what it reports (``bounces``). Mail that
cannot become a message at all raises ``Unparseable`` with the reason; everything else, however broken,
becomes a ParsedMessage (without a sender when it names none that can be used).
"""

import logging
from email.message import Message
from email.parser import BytesParser

from helpline.core.desk import Desk
from helpline.inbound.bounces import find_bounce
from helpline.inbound.headers import (
    MAX_IN_REPLY_TO,
    MAX_REFERENCES,
    POLICY,
    addresses,
    header_text,
    message_ids,
    parse_date,
)
from helpline.inbound.limits import check_structure
from helpline.inbound.message import ParsedMessage, Unparseable
from helpline.inbound.parts import read_content

logger = logging.getLogger(__name__)

MAX_DEFECTS = 20
_DELIVERY_HEADERS = ("delivered-to", "x-original-to", "envelope-to")


def parse_message(data: bytes, *, limits: Desk | None = None) -> ParsedMessage:
    """Parse a received message, keeping its files within ``limits`` (the deployment's by default; the
    intake passes the desk's). Raises Unparseable, and nothing else, for bytes that cannot be one."""
    check_structure(data)
    try:
        return _read(BytesParser(policy=POLICY).parsebytes(data), _line_separator(data), limits)
    except RecursionError as error:
        raise Unparseable("The message's structure is nested too deeply to read.") from error
    except Unparseable:
        raise
    except Exception as error:
        # Not expected (the bounds above are what the library needs); kept for the administrators, logged
        # so that the case is seen and fixed.
        logger.exception("A received message could not be parsed")
        raise Unparseable(f"The message could not be read ({type(error).__name__}).") from error


def _read(message: Message, linesep: str, limits: Desk | None) -> ParsedMessage:
    def values(name: str) -> list[str]:
        return [str(value) for value in message.get_all(name, [])]

    senders = addresses(values("from"), limit=1)
    reply_to = addresses(values("reply-to"), limit=1)
    subject = header_text(values("subject")[0]) if values("subject") else ""
    content = read_content(message, linesep, limits)
    sender = senders[0] if senders else None
    delivered = addresses([value for name in _DELIVERY_HEADERS for value in values(name)])
    report_type = message.get_param("report-type")
    return ParsedMessage(
        message_id=next(iter(message_ids(values("message-id"), keep_first=1)), ""),
        in_reply_to=message_ids(values("in-reply-to"), keep_first=MAX_IN_REPLY_TO),
        references=message_ids(values("references"), keep_last=MAX_REFERENCES),
        sender=sender,
        reply_to=reply_to[0] if reply_to else None,
        to=addresses(values("to")),
        cc=addresses(values("cc")),
        delivered_to=tuple(dict.fromkeys(address.email for address in delivered)),
        subject=subject,
        date=parse_date(values("date")[0]) if values("date") else None,
        text=content.text,
        html=content.html,
        attachments=content.attachments,
        refused=content.refused,
        headers=_headers(message),
        bounce=find_bounce(message, sender=sender, subject=subject, text=content.text),
        content_type=message.get_content_type(),
        report_type=report_type.strip().lower() if isinstance(report_type, str) else "",
        defects=_defects(message),
    )


def _headers(message: Message) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for name, value in message.items():
        found.setdefault(name.strip().lower(), []).append(header_text(str(value)))
    return {name: tuple(values) for name, values in found.items()}


def _defects(message: Message) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for part in message.walk():
        for defect in part.defects:
            names[type(defect).__name__] = None
        if len(names) >= MAX_DEFECTS:
            break
    return tuple(names)[:MAX_DEFECTS]


def _line_separator(data: bytes) -> str:
    """The message's own line ending, for the attached messages written out again."""
    end = data.find(b"\n")
    return "\r\n" if end > 0 and data[end - 1 : end] == b"\r" else "\n"
