"""RFC 2397 data URLs (``data:[<type>][;charset=...][;base64],<data>``), as osTicket's API takes messages and
attachments in JSON."""

import base64
import binascii
import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

_SPACE = re.compile(rb"\s+")


class BadData(ValueError):
    """The value is a data URL that cannot be read (no comma, base64 that is not base64)."""


@dataclass(frozen=True)
class DataUrl:
    content_type: str  # lower-cased; text/plain when the URL names none (RFC 2397's default)
    charset: str  # as declared, lower-cased; "" when none is
    data: bytes

    def text(self) -> str:
        """The data as text, in its declared character set (UTF-8 when none is). Raises BadData for a
        character set Python does not know."""
        try:
            return self.data.decode(self.charset or "utf-8", errors="replace")
        except LookupError:
            raise BadData(f"unknown character set {self.charset!r}") from None


def is_data_url(value: str) -> bool:
    return value[:5].lower() == "data:"


def decode_base64(data: bytes) -> bytes:
    """Strict base64, whitespace (line breaks of a wrapped encoding) allowed. Raises BadData."""
    try:
        return base64.b64decode(_SPACE.sub(b"", data), validate=True)
    except (binascii.Error, ValueError):
        raise BadData("the data is not valid base64") from None


def parse_data_url(value: str, max_bytes: int) -> DataUrl:
    """The parts of a data URL whose data is at most ``max_bytes`` once decoded (longer ones are refused
    before they are decoded). Raises BadData."""
    head, comma, payload = value[5:].partition(",")
    if not comma:
        raise BadData("a data URL needs a comma before its data")
    params = [part.strip() for part in head.split(";")]
    content_type = (params[0] or "text/plain").lower()
    encoded = "base64" in (part.lower() for part in params[1:])
    charset = next(
        (p.split("=", 1)[1].strip('"').lower() for p in params[1:] if p.lower().startswith("charset=")), ""
    )
    if len(payload) > (max_bytes * 4 // 3 + 4 if encoded else max_bytes * 3):
        raise BadData(f"the data is larger than {max_bytes:,} bytes")
    # Percent-escapes are undone as RFC 2397 says; a lone "%" stays as it is (scripts send "50% off").
    raw = unquote_to_bytes(payload)
    data = decode_base64(raw) if encoded else raw
    if len(data) > max_bytes:
        raise BadData(f"the data is larger than {max_bytes:,} bytes")
    return DataUrl(content_type=content_type, charset=charset, data=data)
