"""A received message's bytes made readable for an administrator, whatever they hold: bounded, decoded
without ever failing, and free of control characters. The template escapes the result; nothing here is
markup.

Only a prefix of the message is read from the database (``SHOWN_BYTES``): a 40 MB message costs the page
no more than a small one, and the whole message is a download away.
"""

import re
from email.errors import HeaderParseError
from email.header import decode_header, make_header

SHOWN_BYTES = 256 * 1024
HEADER_BYTES = 64 * 1024  # RFC 5322 sets no limit; more than this is not a header block but an attack
MAX_HEADERS = 300
MAX_VALUE = 2000

_END_OF_HEADERS = re.compile(rb"\r?\n\r?\n")
_LINE = re.compile(rb"\r?\n")
_NAME = re.compile(rb"^([!-9;-~]+)[ \t]*:(.*)$", re.DOTALL)  # printable ASCII but the colon (RFC 5322 2.2)
# C0 controls but tab, line feed and carriage return; DEL; and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _clean(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


def readable(data: bytes) -> str:
    """The bytes as text: UTF-8 where they are UTF-8, a replacement mark for every byte that is not (the
    header of a part names its charset; the download has the exact bytes), controls replaced too."""
    return _clean(_text(data))


def header_block(data: bytes) -> bytes:
    """The bytes up to the blank line that ends the headers, at most HEADER_BYTES."""
    head = data[:HEADER_BYTES]
    end = _END_OF_HEADERS.search(head)
    return head[: end.start()] if end else head


def _decoded(value: str) -> str:
    """RFC 2047 encoded words decoded; a value whose encoding is broken or names an unknown charset is
    shown as it was written."""
    try:
        return str(make_header(decode_header(value)))
    except (HeaderParseError, LookupError, UnicodeError, ValueError):
        return value


def headers(data: bytes) -> list[tuple[str, str]]:
    """The message's headers in order, as (name, decoded value), unfolded. Reading stops where a line is
    not a header (a message without the blank line before its body), as a mail reader's does."""
    lines = _LINE.split(header_block(data))
    if lines and lines[0].startswith(b"From "):  # an mbox separator some servers leave in place
        lines = lines[1:]
    found: list[tuple[str, bytes]] = []
    for line in lines:
        if line[:1] in (b" ", b"\t") and found:
            name, value = found[-1]
            found[-1] = (name, value + b" " + line.strip())
            continue
        match = _NAME.match(line)
        if match is None or len(found) >= MAX_HEADERS:
            break
        found.append((match.group(1).decode("ascii"), match.group(2).strip()))
    return [(name, _clean(_decoded(_text(value[: MAX_VALUE * 4])))[:MAX_VALUE]) for name, value in found]
