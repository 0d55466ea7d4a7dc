"""The bounds a received message must keep before the standard library parses it.

``email``'s parser recurses once per nested part, checks every line against the boundary of every
enclosing part, and holds every line as an object of its own: two thousand nested parts raise
RecursionError inside the parser, and ten million four-byte lines take a gigabyte. So the message is
measured first, on the bytes, by a scan that follows the parser's own rules (header lines, boundary
lines, the enclosed message of a ``message/*`` part, digests) without recursing, and stops at the first
bound passed: the number of lines, the size of any header block and of all of them, the number of parts,
the nesting depth. What passes is parsed in time and memory proportional to its size. The size of the
whole message is bounded before it is stored (``HELPLINE_MAX_EMAIL_BYTES``), the size of each part's
content when it is decoded (``parts.py``), the length of MIME header values when they are read
(``headers.py``).
"""

import re
from dataclasses import dataclass
from email.parser import BytesHeaderParser

from helpline.inbound.headers import POLICY
from helpline.inbound.message import Unparseable

MAX_LINES = 1_000_000  # 40 bytes a line at HELPLINE_MAX_EMAIL_BYTES' default (base64 lines have 77)
MAX_HEADER_BYTES = 128 * 1024  # one header block: the message's own or a part's
MAX_ALL_HEADER_BYTES = 1024 * 1024  # all header blocks together (attached messages bring theirs)
MAX_PARTS = 250  # MIME entities of every kind, the message itself included
MAX_DEPTH = 20  # a part inside a part ... (each attached or forwarded message counts one level more)

_EOL = re.compile(rb"\r\n|\r|\n")
# The parser's test for a header line (email.feedparser.headerRE), on bytes.
_HEADER_LINE = re.compile(rb"From |[\x21-\x39\x3b-\x7e]*:|[ \t]")
_BLANK_LINE = re.compile(rb"\n(?=\n)")
# A Content-Type field with its continuation lines.
_CONTENT_TYPE = re.compile(
    rb"(?<![^\r\n])content-type:[^\r\n]*(?:(?:\r\n|\r|\n)[ \t][^\r\n]*)*", re.IGNORECASE
)


@dataclass(frozen=True)
class _Open:
    """A multipart whose parts are being scanned."""

    separator: bytes  # "--" + boundary
    depth: int
    digest: bool  # its parts are messages unless they say otherwise


@dataclass(frozen=True)
class Shape:
    parts: int
    depth: int


def check_structure(data: bytes) -> Shape:
    """Raise Unparseable when the message passes a bound; otherwise return its measured shape."""
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    if lines > MAX_LINES:
        raise Unparseable(f"The message has more than {MAX_LINES:,} lines.")
    return _Scan(data).run()


class _Scan:
    def __init__(self, data: bytes):
        self.data = data
        self.stack: list[_Open] = []
        self.parts = 0
        self.depth = 0
        self.header_bytes = 0
        self._boundaries: re.Pattern[bytes] | None = None  # the open multiparts' boundary lines

    def run(self) -> Shape:
        position = self.entity(0, depth=0, default="text/plain")
        while (found := self.next_delimiter(position)) is not None:
            _, end, index, closing = found
            opened = self.stack[index]
            del self.stack[index + 1 :]  # the parts inside end here, closed or not
            self._boundaries = None
            if closing:
                self.stack.pop()
                position = end
            else:
                default = "message/rfc822" if opened.digest else "text/plain"
                position = self.entity(
                    self.skip_repeated(end, index), depth=opened.depth + 1, default=default
                )
        return Shape(parts=self.parts, depth=self.depth)

    def skip_repeated(self, position: int, index: int) -> int:
        """The parser makes no part of boundary lines that follow each other: it skips the ones after the
        first (a closing one included)."""
        while position < len(self.data):
            line_end = self.line_end(position)
            found = self.delimiter(self.data[position:line_end])
            if found is None or found[0] != index:
                return position
            position = line_end
        return position

    def count(self, depth: int) -> None:
        self.parts += 1
        self.depth = max(self.depth, depth)
        if self.parts > MAX_PARTS:
            raise Unparseable(f"The message has more than {MAX_PARTS} parts.")
        if depth > MAX_DEPTH:
            raise Unparseable(f"The message's parts are nested more than {MAX_DEPTH} levels deep.")

    def entity(self, position: int, *, depth: int, default: str) -> int:
        """Scan the headers of the entity starting at ``position``; return where its body starts."""
        while True:
            self.count(depth)
            body, block, cut_short = self.header_block(position)
            content_type, boundary = _content_type(block, default)
            if content_type == "message/delivery-status":
                return self.status_blocks(body, depth + 1)
            if content_type.startswith("message/"):
                # What follows the headers is a whole message: its headers come next. Cut short by a
                # boundary line, the parser still makes that message, empty.
                position, depth, default = body, depth + 1, "text/plain"
                continue
            if content_type.startswith("multipart/") and boundary and not cut_short:
                separator = b"--" + boundary.encode("utf-8", errors="surrogateescape")
                self.stack.append(_Open(separator, depth, content_type == "multipart/digest"))
                self._boundaries = None
            return body

    def header_block(self, position: int) -> tuple[int, bytes, bool]:
        """Where the body starts after the header block at ``position``, the block, and whether a boundary
        line cut the entity short (the position is then that line's)."""
        start = position
        while position < len(self.data):
            line_end = self.line_end(position)
            line = self.data[position:line_end]
            if self.delimiter(line) is not None:
                return position, self.data[start:position], True
            if not line.strip(b"\r\n"):
                return line_end, self.data[start:position], False
            if not _HEADER_LINE.match(line):
                return position, self.data[start:position], False  # no blank line: the body starts here
            self.count_header_bytes(line_end - position, line_end - start)
            position = line_end
        return position, self.data[start:position], False

    def count_header_bytes(self, line: int, block: int) -> None:
        self.header_bytes += line
        if block > MAX_HEADER_BYTES:
            raise Unparseable(f"A header block is larger than {MAX_HEADER_BYTES // 1024} KB.")
        if self.header_bytes > MAX_ALL_HEADER_BYTES:
            raise Unparseable(
                f"The message's header blocks are larger than {MAX_ALL_HEADER_BYTES // 1024} KB."
            )

    def status_blocks(self, position: int, depth: int) -> int:
        """A delivery report's fields: the parser makes a part of each block of lines (and of each extra
        blank line between them). A block that declares a type of its own would be parsed as
        that type, where a blank line ends every part: not followed here, refused."""
        found = self.next_delimiter(position)
        region = self.data[position : found[0] if found else len(self.data)]
        region = region.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if _CONTENT_TYPE.search(region):
            raise Unparseable("A delivery report's fields declare a content type of their own.")
        # Each block but the first begins after a blank line; a blank line last in the region begins none.
        blank_lines = len(_BLANK_LINE.findall(region)) + region.startswith(b"\n")
        last_is_blank = region.endswith(b"\n\n") or region == b"\n"
        for _ in range(1 + blank_lines - last_is_blank):
            self.count(depth)
        self.count_header_bytes(len(region), 0)
        return position

    def next_delimiter(self, position: int) -> tuple[int, int, int, bool] | None:
        """The next boundary line of an open multipart: where it starts and ends, whose it is, whether it
        closes.
        Found by one regular expression over the bytes: bodies are not read line by line here."""
        if not self.stack:
            return None
        if self._boundaries is None:
            separators = sorted({opened.separator for opened in self.stack}, key=len, reverse=True)
            alternatives = b"|".join(re.escape(separator) for separator in separators)
            self._boundaries = re.compile(
                rb"(?<![^\r\n])(?:" + alternatives + rb")(?:--)?[ \t]*(?=[\r\n]|\Z)"
            )
        while (match := self._boundaries.search(self.data, position)) is not None:
            line_end = self.line_end(match.start())
            found = self.delimiter(self.data[match.start() : line_end])
            if found is not None:
                return match.start(), line_end, *found
            position = line_end
        return None

    def delimiter(self, line: bytes) -> tuple[int, bool] | None:
        """Whose boundary the line is, and whether it closes. The outermost multipart whose boundary it is
        takes it: the parser ends every part inside at a line that matches any enclosing boundary."""
        if not self.stack or not line.startswith(b"--"):
            return None
        stripped = line.rstrip(b"\r\n").rstrip(b" \t")
        for index in range(len(self.stack)):
            separator = self.stack[index].separator
            if stripped == separator:
                return index, False
            if stripped == separator + b"--":
                return index, True
        return None

    def line_end(self, position: int) -> int:
        match = _EOL.search(self.data, position)
        return match.end() if match else len(self.data)


def _content_type(block: bytes, default: str) -> tuple[str, str | None]:
    """The type and boundary the parser will read from a header block: the block's first Content-Type
    field (the one the library reads), read by the same library calls."""
    field = _CONTENT_TYPE.search(block)
    headers = BytesHeaderParser(policy=POLICY).parsebytes(field[0] if field else b"")
    headers.set_default_type(default)
    return headers.get_content_type(), headers.get_boundary()
