"""Targets as people write and read them: "8 h", "1 h 30 min", "45 min" (also "1h30m", "90m", "1.5h", "1:30",
and a bare number of hours)."""

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation

_UNITS = re.compile(
    r"^(?:(?P<hours>\d+(?:[.,]\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(?P<minutes>\d+)\s*m(?:in(?:utes?)?)?)?$",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"^(?P<hours>\d+):(?P<minutes>[0-5]\d)$")
_BARE = re.compile(r"^\d+(?:[.,]\d+)?$")


def parse_duration(text: str) -> timedelta:
    """The duration ``text`` names, to the minute. Raises ValueError with a message for the person."""
    text = text.strip()
    hours, minutes = "0", "0"
    if match := _CLOCK.match(text):
        hours, minutes = match["hours"], match["minutes"]
    elif _BARE.match(text):
        hours = text
    elif text and (match := _UNITS.match(text)) and (match["hours"] or match["minutes"]):
        hours, minutes = match["hours"] or "0", match["minutes"] or "0"
    else:
        raise ValueError(
            f"“{text}” is not a duration: write hours and minutes, e.g. 8 h, 1 h 30 min, 45 min."
        )
    try:
        total = Decimal(hours.replace(",", ".")) * 60 + int(minutes)
    except InvalidOperation:  # pragma: no cover - the patterns only let digits through
        raise ValueError(f"“{text}” is not a duration.") from None
    if total != total.to_integral_value():
        raise ValueError(f"“{text}” is not a whole number of minutes.")
    return timedelta(minutes=int(total))


def format_duration(value: timedelta) -> str:
    """ "8 h", "1 h 30 min", "45 min"; seconds, which no form writes, are rounded down."""
    minutes = int(value.total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"
