"""A received email as the intake reads it: what ``parsing.parse_message`` makes of the raw bytes.

Plain data, no Django: the parser fills it, the classifier and the matcher read it, the intake turns it
into a ticket or a reply.
"""

from dataclasses import dataclass, field
from datetime import datetime


class Unparseable(Exception):
    """The bytes cannot become a message at all (a bound passed, or no structure the parser can read).
    ``reason`` says why, for the administrators' list of messages that were kept and not processed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Address:
    email: str  # as written, stripped; not yet validated
    name: str = ""


@dataclass(frozen=True)
class Part:
    """A file the message carries: an attachment, or an inline image (``content_id`` set, shown in place)."""

    filename: str
    content_type: str
    data: bytes
    content_id: str = ""  # without the angle brackets
    inline: bool = False


@dataclass(frozen=True)
class RefusedPart:
    """A part that was not kept (too large, too many, nested too deep, a forbidden type), and why."""

    filename: str
    content_type: str
    size: int
    reason: str


@dataclass(frozen=True)
class Bounce:
    """What a delivery status notification (RFC 3464) reports about a message Helpline sent."""

    original_message_id: str  # the Message-ID of the email that bounced, from the returned headers
    recipient: str
    action: str  # failed, delayed, ...
    status: str  # e.g. 5.1.1
    diagnostic: str  # e.g. "550 5.1.1 user unknown"


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str  # the Message-ID with its angle brackets, or "" when the message has none
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    sender: Address | None  # From; None when there is no usable sender
    reply_to: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    # Where the mail server says it delivered the message (Delivered-To, X-Original-To, Envelope-To).
    delivered_to: tuple[str, ...]
    subject: str
    date: datetime | None
    text: str  # the plain text body (the text part, or the HTML part rendered as text)
    html: str  # the HTML body as sent (not yet sanitized), or ""
    attachments: tuple[Part, ...] = ()
    refused: tuple[RefusedPart, ...] = ()
    # Every header, names lower-cased, values decoded; a repeated header keeps its values in order.
    headers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    bounce: Bounce | None = None
    # The MIME type of the message itself (e.g. "multipart/report") and, for a report, its report-type.
    content_type: str = "text/plain"
    report_type: str = ""
    # What the parser found broken (names of the standard library's defect classes), for the raw view.
    defects: tuple[str, ...] = ()

    def header(self, name: str) -> str:
        """The first value of a header, or ""."""
        values = self.headers.get(name.lower(), ())
        return values[0] if values else ""

    @property
    def recipients(self) -> tuple[str, ...]:
        """Every address the message was sent to: To, Cc and the delivery headers, lower-cased."""
        found = [a.email for a in (*self.to, *self.cc)] + list(self.delivered_to)
        return tuple(dict.fromkeys(address.strip().lower() for address in found if address.strip()))
