"""Header values of received mail, read so that nothing a sender writes can break out of them.

Every value is read raw (as the parser stored it) and decoded here, not through the structured header
classes of ``email.headerregistry``: those raise on some hostile values (an address whose encoded display
name holds CR/LF), recurse past the interpreter's limit on others (a thousand nested comments) and decode
encoded words *before* splitting addresses, which lets a display name smuggle in an address. Here
addresses are split first (``email.utils.getaddresses``, strict since Python 3.13) and names decoded
after; decoded text never keeps a control character, CR or LF included.
"""

import binascii
import re
from datetime import UTC, datetime
from email.policy import EmailPolicy
from email.utils import getaddresses, parsedate_to_datetime

from helpline.inbound.charsets import decode_bytes
from helpline.inbound.message import Address

MAX_ADDRESSES = 100  # kept from one header (To, Cc, ...)
MAX_REFERENCES = 30  # the last ones of References: the nearest ancestors are what threading needs
MAX_IN_REPLY_TO = 5
MAX_ID_CHARS = 900  # as the raw message store reads a Message-ID
MAX_EMAIL_CHARS = 254
MAX_MIME_HEADER_CHARS = 4096  # Content-Type and the like, as the MIME logic reads them (long file names fit)
MAX_COMMENT_DEPTH = 20  # comments inside comments, in an address header

_SURROGATES = re.compile("[\udc80-\udcff]")
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,75})\?([bBqQ])\?([^?]*)\?=")
# Controls (CR and LF among them), line and paragraph separators, bidirectional overrides, the BOM, and
# lone surrogates (a UTF-7 sender can make one; no database stores it).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")
_ID_CHARS = r"[\x21-\x3b\x3d\x3f-\x7e]"  # printable ASCII except < and >
_ID_TOKEN = re.compile(rf"<({_ID_CHARS}{{1,{MAX_ID_CHARS}}})>")
_BARE_ID = re.compile(rf"{_ID_CHARS}{{1,{MAX_ID_CHARS}}}")
_MIME_HEADERS = {"content-type", "content-disposition", "content-transfer-encoding"}
_EMAIL = re.compile(r"[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+")


class HardenedPolicy(EmailPolicy):
    """``policy.default`` (its message class, line handling and defect reporting), with header values handed
    out raw: ``message.get(name)`` is the value as received, unfolded. The MIME logic of the standard
    library (content type, boundary, file name, charset) reads raw values as it does under ``compat32``;
    every value Helpline shows or matches on is decoded by the functions below."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        if name.lower() in _MIME_HEADERS:
            # The library's MIME logic would take comments for values, and reads parameters in time
            # quadratic in the value's length.
            return strip_comments(unfold(value)[:MAX_MIME_HEADER_CHARS])
        return unfold(value)

    def header_store_parse(self, name: str, value: str) -> tuple[str, str]:
        try:
            return super().header_store_parse(name, value)
        except Exception:  # noqa: BLE001 - RecursionError and ValueError seen; keep the value as text
            return name, unfold(str(value))


POLICY = HardenedPolicy()


def repair_8bit(value: str) -> str:
    """Raw 8-bit bytes in a header (kept by the parser as surrogate escapes) read as UTF-8, else Windows-1252."""
    if not _SURROGATES.search(value):
        return value
    return decode_bytes(value.encode("utf-8", errors="surrogateescape"))


def strip_comments(value: str) -> str:
    """The value without its RFC 5322 comments (parenthesized, nested, outside quoted strings), read in
    one pass without recursion."""
    if "(" not in value:
        return value
    out = []
    depth = 0
    quoted = escaped = False
    for character in value:
        if escaped:
            escaped = False
        elif character == "\\" and (quoted or depth):
            escaped = True
        elif depth == 0 and character == '"':
            quoted = not quoted
        elif not quoted and character == "(":
            depth += 1
            continue
        elif not quoted and depth and character == ")":
            depth -= 1
            continue
        if depth == 0:
            out.append(character)
    return "".join(out)


def unfold(value: str) -> str:
    """The header value on one line (RFC 5322 unfolding: the line breaks go, the folding white space stays)."""
    return value.replace("\r", "").replace("\n", "")


def clean_text(value: str) -> str:
    """Text safe to show and to put in a header again: no controls, single spaces, stripped."""
    return " ".join(_UNSAFE.sub(" ", value).split())


def decode_words(value: str) -> str:
    """A raw header value with its RFC 2047 encoded words decoded, leniently: a broken word stays as it is,
    an unknown charset falls back as body text does, white space between adjacent words goes, and the
    bytes of adjacent words in one charset are joined before decoding (senders split characters)."""
    text = unfold(repair_8bit(value))
    out: list[str] = []
    pending: list[tuple[str, bytes]] = []
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        gap = text[position : match.start()]
        if gap and not (pending and gap.isspace()):
            out.append(_flush(pending))
            out.append(gap)
        charset = match[1].split("*", 1)[0].lower()  # RFC 2231 allows a language: =?utf-8*en?q?...?=
        data = _decode_b(match[3]) if match[2] in "bB" else _decode_q(match[3])
        if data is None:  # not base64 at all: the word stays as written
            out.append(_flush(pending))
            out.append(match[0])
            position = match.end()
            continue
        if pending and pending[-1][0] != charset:
            out.append(_flush(pending))
        pending.append((charset, data))
        position = match.end()
    out.append(_flush(pending))
    out.append(text[position:])
    return "".join(out)


def _flush(pending: list[tuple[str, bytes]]) -> str:
    if not pending:
        return ""
    text = decode_bytes(b"".join(data for _, data in pending), pending[0][0])
    pending.clear()
    return text


def _decode_b(encoded: str) -> bytes | None:
    """Base64 with its padding repaired, or None when the text holds characters base64 has not."""
    cleaned = encoded.rstrip("=")
    if _NOT_BASE64.search(cleaned):
        return None
    cleaned = cleaned[: len(cleaned) - 1] if len(cleaned) % 4 == 1 else cleaned
    return binascii.a2b_base64(cleaned + "=" * (-len(cleaned) % 4))


def _decode_q(encoded: str) -> bytes:
    return binascii.a2b_qp(encoded.encode("utf-8", errors="replace"), header=True)


def header_text(value: str) -> str:
    """A header value as a person reads it: decoded, on one line, without controls."""
    return clean_text(decode_words(value))


def addresses(values: list[str], limit: int = MAX_ADDRESSES) -> tuple[Address, ...]:
    """The usable addresses in raw address headers, split before their names are decoded. A header the
    strict parser cannot split safely (CVE-2023-27043 shapes) yields none."""
    found = []
    for value in values:
        for name, email in _split_addresses(unfold(value)):
            email = repair_8bit(email).strip()
            if is_usable_email(email):
                found.append(Address(email=email, name=header_text(name)))
            if len(found) >= limit:
                return tuple(found)
    return tuple(found)


def _split_addresses(value: str) -> list[tuple[str, str]]:
    # getaddresses reads nested comments recursively: a value nested past any real use is not read.
    depth = deepest = 0
    for character in value:
        if character in "()":
            depth = depth + 1 if character == "(" else max(depth - 1, 0)
            deepest = max(deepest, depth)
    if deepest > MAX_COMMENT_DEPTH:
        return []
    return getaddresses([value])


def is_usable_email(email: str) -> bool:
    """One local part, one domain, no white space, controls or address syntax left in it."""
    return len(email) <= MAX_EMAIL_CHARS and _EMAIL.fullmatch(email) is not None and not _UNSAFE.search(email)


def message_ids(
    values: list[str], *, keep_last: int | None = None, keep_first: int | None = None
) -> tuple[str, ...]:
    """The Message-IDs in raw header values as ``<...>`` tokens, duplicates dropped. A value without angle
    brackets (some programs write bare ids) counts by its words that hold an ``@``."""
    found: list[str] = []
    for value in values:
        text = unfold(value)
        tokens = _ID_TOKEN.findall(text)
        if not tokens:
            tokens = [word for word in text.split() if "@" in word and _BARE_ID.fullmatch(word)]
        found.extend(f"<{token}>" for token in tokens)
    unique = list(dict.fromkeys(found))
    if keep_last is not None:
        unique = unique[-keep_last:]
    if keep_first is not None:
        unique = unique[:keep_first]
    return tuple(unique)


def parse_date(value: str) -> datetime | None:
    """The Date header as an aware datetime (UTC when the sender gave no zone), or None when unreadable."""
    text = clean_text(repair_8bit(value))
    if not text:
        return None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
