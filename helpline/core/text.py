"""Normalizing short free text that users type (subjects, names)."""

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def one_line(value: str, max_length: int) -> str:
    """Collapse whitespace and drop control characters, so a value is safe in a header or a list."""
    value = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C" or ch in "\t\n\r")
    return _SPACE.sub(" ", value).strip()[:max_length]
