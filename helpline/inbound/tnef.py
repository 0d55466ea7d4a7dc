"""winmail.dat (TNEF, Outlook's own container): the files and body inside, unpacked with ``tnefparse``.

``tnefparse`` trusts the counts it reads: a property count of four billion makes it loop four billion
times, a multi-valued count as large makes it build that many objects, and every record it reads copies
the rest of the file. So the structure is walked first, by the same grammar, without building anything:
a file whose counts exceed what its bytes can hold, whose records would copy more than a bounded amount,
or whose embedded messages nest deeper than a bound is not given to the library (the caller keeps it as
the attachment it is).
"""

import logging
import struct
from dataclasses import dataclass

from tnefparse import TNEF

logger = logging.getLogger(__name__)

SIGNATURE = 0x223E9F78
MAX_COPY_BYTES = 256 * 1024 * 1024  # what tnefparse's record slicing may copy, in all
MAX_EMBEDDED = 2  # messages inside messages inside the file

_LEVEL_ATTACHMENT = 0x02
_ATTACHMENT = 0x9005
_MAPI_PROPS = 0x9003
_RECIPIENTS = 0x9004
_ATTACH_DATA_OBJ = 0x3701
_IMESSAGE = b"\x07\x03\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"
_FIXED_SIZES = {0x0002: 2, 0x000B: 2, 0x0003: 4, 0x0004: 4, 0x000A: 4, 0x0005: 8, 0x0007: 8}
_FIXED_SIZES |= {0x0006: 8, 0x0014: 8, 0x0040: 8, 0x0048: 16}
_VARIABLE = {0x001E, 0x001F, 0x000D, 0x0102, 0x0000}
_U16 = struct.Struct("<H").unpack_from
_U32 = struct.Struct("<I").unpack_from


class _Unsafe(Exception):
    """The file's counts or sizes would make tnefparse run unbounded."""


@dataclass(frozen=True)
class Unpacked:
    files: tuple[tuple[str, bytes], ...]
    text: str | bytes
    html: str | bytes


def is_tnef(data: bytes) -> bool:
    return len(data) >= 4 and _U32(data)[0] == SIGNATURE


def unpack(data: bytes) -> Unpacked | None:
    """The files and body in a winmail.dat, or None when it cannot be read safely."""
    try:
        safe = _checked(data, depth=0, budget=[MAX_COPY_BYTES])
    except (_Unsafe, struct.error):
        return None
    try:
        tnef = TNEF(safe, do_checksum=False)
    except Exception:  # noqa: BLE001 - tnefparse raises what its input provokes (struct, Value, Unicode...)
        logger.info("winmail.dat could not be unpacked", exc_info=True)
        return None
    files = tuple((_file_name(attachment), bytes(attachment.data or b"")) for attachment in tnef.attachments)
    return Unpacked(files=files, text=tnef.body or "", html=tnef.htmlbody or "")


def _file_name(attachment) -> str:
    try:
        name = attachment.long_filename() or attachment.name
    except (UnicodeError, ValueError):
        return ""
    return name if isinstance(name, str) else ""


def _checked(data: bytes, *, depth: int, budget: list[int]) -> bytes:
    """The file without its recipient table (not needed here, and the one place where tnefparse goes on
    reading after a failure, from wherever the failure left it), after walking every other record as
    TNEF.__init__ does and checking what each would make the library do."""
    if depth > MAX_EMBEDDED:
        raise _Unsafe("embedded too deep")
    if not is_tnef(data):
        return data
    kept = [data[:6]]
    offset = 6
    while offset + 12 < len(data):
        rest = len(data) - offset
        budget[0] -= rest  # tnefparse slices data[offset:] for every record
        if budget[0] < 0:
            raise _Unsafe("too many records")
        level, name = data[offset], _U16(data, offset + 1)[0]
        length = min(rest, _U32(data, offset + 5)[0] + 11)
        record = data[offset + 9 : offset + length - 2]
        attachment = level == _LEVEL_ATTACHMENT
        if attachment and name == _ATTACHMENT or not attachment and name == _MAPI_PROPS:
            _check_properties(record, depth=depth, budget=budget)
        if not attachment and name == _RECIPIENTS:
            if depth:
                raise _Unsafe("a recipient table in an embedded message")
        else:
            kept.append(data[offset : offset + length])
        offset += length
    kept.append(data[offset:])
    return b"".join(kept)


def _check_properties(data: bytes, *, depth: int, budget: list[int]) -> None:
    """Walk a MAPI property list as tnefparse.mapi.decode_mapi does. Where the library would stop (it
    catches its own failures), the walk stops too or goes on: it never stops earlier."""
    count = _U32(data, 0)[0]
    offset = 4
    if count > (len(data) - offset) // 4 + 1:
        raise _Unsafe("more properties than bytes")  # decode_mapi would spin through the missing ones
    for _ in range(count):
        if offset + 4 > len(data):
            return
        kind, name = _U16(data, offset)[0], _U16(data, offset + 2)[0]
        try:
            next_offset = _check_values(data, _skip_guid(data, offset + 4, name), kind, name, depth, budget)
        except struct.error:
            return
        if next_offset is None:
            return
        offset = next_offset


def _skip_guid(data: bytes, offset: int, name: int) -> int:
    if name < 0x8000:
        return offset
    offset += 16
    kind = _U32(data, offset)[0]
    offset += 4
    if kind == 0:
        return offset + 4
    length = _U32(data, offset)[0]
    return offset + 4 + length + (-length % 4)


def _check_values(
    data: bytes, offset: int, kind: int, name: int, depth: int, budget: list[int]
) -> int | None:
    multi = None
    if kind & 0x1000:
        kind ^= 0x1000
        multi = _U32(data, offset)[0]
        offset += 4
    if kind in _FIXED_SIZES:
        size = _FIXED_SIZES[kind]
        # Fixed-size values are sliced without a bounds check: the count alone decides the work.
        if (multi or 1) * size > len(data) - offset + size:
            raise _Unsafe("more values than bytes")
        offset += (multi or 1) * size
        if (multi or 1) % 2 and kind in (0x0002, 0x000B):
            offset += 2
        return offset
    if kind not in _VARIABLE:
        return None  # tnefparse raises on an unknown type, which ends the list
    for _ in range(multi or 1):
        values = 1 if multi else _U32(data, offset)[0]
        offset += 0 if multi else 4
        for _ in range(values):
            length = _U32(data, offset)[0]  # past the end: struct.error, as in tnefparse
            value = data[offset + 4 : offset + 4 + length]
            if name == _ATTACH_DATA_OBJ and value.startswith(_IMESSAGE):
                _checked(value[len(_IMESSAGE) :].rstrip(b"\x00"), depth=depth + 1, budget=budget)
            offset += 4 + length + (-length % 4)
    return offset
