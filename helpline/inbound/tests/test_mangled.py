"""Mangled mail: messages of the corpus truncated, with bytes flipped, line breaks added and removed, headers
repeated, nested thousands of levels deep, with huge header lines. Parsing, classifying and trimming raise
nothing but Unparseable; what they produce carries no line break in a header value or an address; and the
work stays within the bounds that make it linear in the size of the message (the parts, the depth, the
header blocks), its memory within a fixed multiple of that size."""

import re
import tracemalloc
from email.parser import BytesParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpline.inbound import limits
from helpline.inbound.classify import classify
from helpline.inbound.headers import MAX_ADDRESSES, MAX_IN_REPLY_TO, MAX_REFERENCES, POLICY
from helpline.inbound.message import ParsedMessage, Unparseable
from helpline.inbound.parsing import parse_message
from helpline.inbound.quotes import trim_reply
from helpline.inbound.tests.corpus import DESK_ADDRESSES, MANIFEST, read

CORPUS = [read(name) for name in sorted(MANIFEST)]
# Peak memory of one parse: a multiple of the message's size, plus a constant for the libraries' own
# allocations (measured over 1,500 examples: at most 12 times the size plus 0.6 MB).
MEMORY_FACTOR = 20
MEMORY_CONSTANT = 4 * 1024 * 1024
LINE_BREAK = re.compile(r"[\r\n]")


def _position(draw, data: bytearray) -> int:
    return draw(st.integers(min_value=0, max_value=len(data)))


def truncate(draw, data):
    return data[: _position(draw, data)]


def flip(draw, data):
    if data:
        data[min(_position(draw, data), len(data) - 1)] = draw(st.integers(0, 255))
    return data


def insert_line_break(draw, data):
    at = _position(draw, data)
    return data[:at] + draw(st.sampled_from([b"\r", b"\n", b"\r\n", b"\n\n", b"\r\n\r\n"])) + data[at:]


def remove_line_breaks(draw, data):
    return data.replace(draw(st.sampled_from([b"\r", b"\n", b"\r\n"])), b"", draw(st.integers(1, 50)))


def repeat_header(draw, data):
    lines = bytes(data).split(b"\n")
    index = draw(st.integers(0, min(len(lines), 15) - 1))
    return bytearray(b"\n".join(lines[:index] + [lines[index]] * draw(st.integers(2, 3000)) + lines[index:]))


def nest(draw, data):
    levels = draw(st.integers(2, 3000))
    if draw(st.booleans()):
        return bytearray(b"Content-Type: message/rfc822\n\n" * levels) + data
    opening = b"".join(
        b"Content-Type: multipart/mixed; boundary=n%d\n\n--n%d\n" % (n, n) for n in range(levels)
    )
    return bytearray(opening) + data


def huge_header(draw, data):
    unit = draw(st.sampled_from([b"a", b"=?utf-8?q?=C3=A9?= ", b"(", b"<a@b>, ", b'"x', b"=?utf-8?b?w6k=?="]))
    name = draw(st.sampled_from([b"Subject", b"From", b"To", b"References", b"Content-Type", b"X-Big"]))
    line = name + b": " + unit * (draw(st.integers(1, 200_000)) // len(unit)) + b"\n"
    return bytearray(line) + data


def insert_bytes(draw, data):
    at = _position(draw, data)
    return data[:at] + bytearray(draw(st.binary(max_size=200))) + data[at:]


def insert_boundary_line(draw, data):
    """A boundary line of one of the message's own multiparts, opening or closing, where none belongs."""
    boundaries = re.findall(rb'boundary="?([^";\s]+)', bytes(data))
    if not boundaries:
        return data
    at = _position(draw, data)
    end = draw(st.sampled_from([b"", b"--", b"  ", b"--\t"]))
    return data[:at] + b"\n--" + draw(st.sampled_from(boundaries)) + end + b"\n" + data[at:]


MUTATIONS = [
    truncate,
    flip,
    insert_line_break,
    remove_line_breaks,
    repeat_header,
    nest,
    huge_header,
    insert_bytes,
    insert_boundary_line,
]


@st.composite
def mangled(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(CORPUS)))
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        data = mutation(draw, data)
    return bytes(data)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mangled())
def test_mangled_mail_never_breaks_the_parser_or_the_classifier(data):
    tracemalloc.start()
    try:
        message = parse_message(data)
    except Unparseable as refused:
        # Refused by a bound, not by the catch-all that turns an unexpected failure into Unparseable.
        assert refused.reason and refused.__cause__ is None, refused.reason
        return
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak <= MEMORY_FACTOR * len(data) + MEMORY_CONSTANT
    classify(message, DESK_ADDRESSES)
    trim_reply(message.text, message.html)
    _check_bounded(data, message)
    _check_single_lines(message)


def _check_bounded(data: bytes, message: ParsedMessage) -> None:
    shape = limits.check_structure(data)
    assert shape.parts <= limits.MAX_PARTS and shape.depth <= limits.MAX_DEPTH
    assert len(message.to) <= MAX_ADDRESSES and len(message.cc) <= MAX_ADDRESSES
    assert len(message.in_reply_to) <= MAX_IN_REPLY_TO and len(message.references) <= MAX_REFERENCES


def _check_single_lines(message: ParsedMessage) -> None:
    values = [
        message.subject,
        message.message_id,
        *message.in_reply_to,
        *message.references,
        *message.delivered_to,
    ]
    values += [value for values in message.headers.values() for value in values]
    for address in (message.sender, message.reply_to, *message.to, *message.cc):
        if address is not None:
            values += [address.email, address.name]
            assert "@" in address.email and not re.search(r"\s", address.email)
    values += [part.filename for part in (*message.attachments, *message.refused)]
    assert not [value for value in values if LINE_BREAK.search(value)]


def _depth(part, level: int = 0) -> int:
    children = part.get_payload() if part.is_multipart() else []
    return max([level, *(_depth(child, level + 1) for child in children)])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mangled())
def test_the_structure_check_measures_what_the_parser_builds(data):
    """The bounds hold only if the scan before parsing counts what the parser then builds: the same
    parts, nested as deep, however broken the boundaries are."""
    try:
        shape = limits.check_structure(data)
    except Unparseable:
        return
    parsed = BytesParser(policy=POLICY).parsebytes(data)
    assert (shape.parts, shape.depth) == (len(list(parsed.walk())), _depth(parsed))
