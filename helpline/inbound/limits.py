"""The bounds a received message must keep before the standard library parses it.

``email``'s parser recurses once per nested part and checks every line against the boundary of every
enclosing part: two thousand nested parts raise RecursionError inside the parser, and a few hundred make
it quadratic. So the structure is measured first, on the bytes, by a scan that follows the parser's own
rules (header lines, boundary lines, the enclosed message of a ``message/*`` part, digests) without
recursing and stops at the first bound passed: the size of any header block, the number of parts, the
nesting depth. What passes is parsed in time and memory proportional to its size. The size of the whole
message is bounded before it is stored (``HELPLINE_MAX_EMAIL_BYTES``); the size of each part's content
when it is decoded (``parts.py``).
"""

import re
from dataclasses import dataclass
from email.parser import BytesHeaderParser

from helpline.inbound.headers import POLICY
from helpline.inbound.message import Unparseable

MAX_HEADER_BYTES = 128 * 1024  # one header block: the message's own or a part's
MAX_PARTS = 250  # MIME entities of every kind, the message itself included
MAX_DEPTH = 20  # a part inside a part ... (each attached or forwarded message counts one level more)

_EOL = re.compile(rb"\r\n|\r|\n")
# The parser's test for a header line (email.feedparser.headerRE), on bytes.
_HEADER_LINE = re.compile(rb"From |[\x21-\x39\x3b-\x7e]*:|[ \t]")
# A line that starts with two dashes: the only lines that can be boundaries.
_DASHES = re.compile(rb"(?<![^\r\n])--")


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
    return _Scan(data).run()


class _Scan:
    def __init__(self, data: bytes):
        self.data = data
        self.stack: list[_Open] = []
        self.parts = 0
        self.depth = 0

    def run(self) -> Shape:
        position = self.entity(0, depth=0, default="text/plain")
        while (found := self.next_delimiter(position)) is not None:
            end, index, closing = found
            opened = self.stack[index]
            del self.stack[index + 1 :]  # the parts inside end here, closed or not
            if closing:
                self.stack.pop()
                position = end
            else:
                default = "message/rfc822" if opened.digest else "text/plain"
                position = self.entity(end, depth=opened.depth + 1, default=default)
        return Shape(parts=self.parts, depth=self.depth)

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
            if cut_short:
                return body
            content_type, boundary = _content_type(block, default)
            if content_type == "message/delivery-status":
                return self.status_blocks(body, depth + 1)
            if content_type.startswith("message/"):
                # What follows the headers is a whole message: its headers come next.
                position, depth, default = body, depth + 1, "text/plain"
                continue
            if content_type.startswith("multipart/") and boundary:
                separator = b"--" + boundary.encode("utf-8", errors="surrogateescape")
                self.stack.append(_Open(separator, depth, content_type == "multipart/digest"))
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
            if line_end - start > MAX_HEADER_BYTES:
                raise Unparseable(f"A header block is larger than {MAX_HEADER_BYTES // 1024} KB.")
            position = line_end
        return position, self.data[start:position], False

    def status_blocks(self, position: int, depth: int) -> int:
        """A delivery report's fields: the parser makes a part of each block of lines."""
        in_block = False
        block_start = position
        while position < len(self.data):
            line_end = self.line_end(position)
            line = self.data[position:line_end]
            if self.delimiter(line) is not None:
                return position
            if not line.strip(b"\r\n"):
                in_block = False
            elif not in_block:
                in_block, block_start = True, position
                self.count(depth)
            elif line_end - block_start > MAX_HEADER_BYTES:
                raise Unparseable(f"A header block is larger than {MAX_HEADER_BYTES // 1024} KB.")
            position = line_end
        return position

    def next_delimiter(self, position: int) -> tuple[int, int, bool] | None:
        """The next boundary line of an open multipart: where it ends, whose it is, whether it closes."""
        while self.stack and (match := _DASHES.search(self.data, position)) is not None:
            line_end = self.line_end(match.start())
            found = self.delimiter(self.data[match.start() : line_end])
            if found is not None:
                return line_end, *found
            position = line_end
        return None

    def delimiter(self, line: bytes) -> tuple[int, bool] | None:
        """Whose boundary the line is (innermost first, as the parser checks), and whether it closes."""
        if not self.stack or not line.startswith(b"--"):
            return None
        stripped = line.rstrip(b"\r\n").rstrip(b" \t")
        for index in range(len(self.stack) - 1, -1, -1):
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
    """The type and boundary the parser will read from a header block (the same library calls)."""
    headers = BytesHeaderParser(policy=POLICY).parsebytes(block)
    headers.set_default_type(default)
    return headers.get_content_type(), headers.get_boundary()
