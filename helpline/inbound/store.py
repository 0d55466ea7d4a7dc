"""Storing what arrives, before anything else: the raw bytes are a row first, so a crash, a parse failure
or a bug later loses nothing, and the same message received twice is stored once."""

import hashlib
import re
from email.parser import BytesHeaderParser
from email.policy import compat32

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from helpline.inbound.models import Mailbox, RawMessage

MESSAGE_ID = re.compile(rb"^message-id:[ \t]*(.*?)\r?$", re.IGNORECASE | re.MULTILINE)


class TooLarge(Exception):
    """The message is larger than HELPLINE_MAX_EMAIL_BYTES: refused before it is stored."""


def received_message_id(data: bytes) -> str:
    """The Message-ID as the sender wrote it (angle brackets included), read without a full parse."""
    head = data.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0][:65536]
    try:
        value = BytesHeaderParser(policy=compat32).parsebytes(head).get("Message-ID", "")
    except Exception:  # noqa: BLE001 - a header block that cannot be read has no usable Message-ID
        return ""
    value = " ".join(str(value).split())
    match = re.search(r"<[^<>\s\x00-\x1f\x7f]{1,900}>", value)
    return match.group(0) if match else ""


def dedupe_key(data: bytes, message_id: str) -> str:
    if message_id:
        return "mid:" + hashlib.sha256(message_id.lower().encode()).hexdigest()
    return "sha256:" + hashlib.sha256(data).hexdigest()


def store_raw(data: bytes, *, source: str, mailbox: Mailbox | None) -> tuple[RawMessage, bool]:
    """Store the message; returns it and whether it is new (False: received before, stored once).
    Raises TooLarge for a message over the size limit (the caller refuses it)."""
    if len(data) > settings.HELPLINE_MAX_EMAIL_BYTES:
        raise TooLarge(
            f"The message is {len(data):,} bytes; at most {settings.HELPLINE_MAX_EMAIL_BYTES:,} are accepted."
        )
    message_id = received_message_id(data)
    key = dedupe_key(data, message_id)
    try:
        with transaction.atomic():
            raw = RawMessage.objects.create(
                mailbox=mailbox,
                source=source,
                received_at=timezone.now(),
                data=data,
                size=len(data),
                message_id=message_id[:998],
                dedupe_key=key,
            )
        return raw, True
    except IntegrityError:
        existing = RawMessage.objects.filter(dedupe_key=key).first()
        if existing is None:
            raise
        return existing, False
