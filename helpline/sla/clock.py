"""The due-time math: pure functions of a ``BusinessHours`` and aware datetimes, no database.

Every function takes aware datetimes (a naive one raises ``ValueError``) and returns aware UTC datetimes.
The calendar rules (holidays, spans across midnight, daylight-saving changes) are in ``sla.hours``.

The work is bounded by days, not by minutes: each local day costs a handful of operations, so adding a year
of business time walks about a year of days. A schedule that is never open raises ``NoOpenTime`` once
``MAX_CLOSED_DAYS`` days in a row were closed, rather than searching forever.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from helpline.sla.hours import BusinessHours, NoOpenTime, day_intervals

ZERO = timedelta(0)
# Longer than any run of closed days a real desk has (two years and a week): past it, the schedule is
# taken to be never open.
MAX_CLOSED_DAYS = 2 * 366 + 7


def _aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, not {moment!r}")
    return moment.astimezone(UTC)


def _open_intervals(hours: BusinessHours, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The open intervals that end after ``moment`` (UTC), in order, without overlaps. Adjacent days'
    intervals are not joined (they may touch at midnight). Raises NoOpenTime after a long closed run."""
    # From the day before: where the clocks go back at midnight, the previous local day's last hour can
    # fall after this day's first instant.
    day = moment.astimezone(hours.tz).date() - timedelta(days=1)
    closed_run = 0
    last_close = moment
    while True:
        intervals = day_intervals(hours, day)
        closed_run = 0 if intervals else closed_run + 1
        if closed_run > MAX_CLOSED_DAYS:
            raise NoOpenTime(f"The schedule is not open on any day from {day - timedelta(days=closed_run)}.")
        for opens, closes in intervals:
            opens = max(opens, last_close)
            if closes > opens:
                yield opens, closes
                last_close = closes
        day += timedelta(days=1)


def add_business_time(hours: BusinessHours, start: datetime, duration: timedelta) -> datetime:
    """The moment ``duration`` of business time after ``start``. Counting begins at ``start`` when the desk
    is open, else at the next opening (so a zero duration gives ``next_opening``). A count that runs out
    exactly at a closing gives that closing, not the next opening. Raises ValueError for a negative
    duration, NoOpenTime for a schedule that is never open."""
    start = _aware(start, "start")
    if duration < ZERO:
        raise ValueError(f"duration must not be negative, not {duration}")
    if hours.is_wall_clock:
        return start + duration
    remaining = duration
    for opens, closes in _open_intervals(hours, start):
        available = closes - opens
        if remaining <= available:
            return opens + remaining
        remaining -= available
    raise AssertionError("unreachable: _open_intervals never ends")  # pragma: no cover


def business_time_between(hours: BusinessHours, start: datetime, end: datetime) -> timedelta:
    """The business time from ``start`` to ``end``: zero when ``end`` is not after ``start``."""
    start, end = _aware(start, "start"), _aware(end, "end")
    if end <= start:
        return ZERO
    if hours.is_wall_clock:
        return end - start
    total = ZERO
    last_day = end.astimezone(hours.tz).date() + timedelta(days=1)
    day = start.astimezone(hours.tz).date() - timedelta(days=1)
    last_close = start
    while day <= last_day:
        for opens, closes in day_intervals(hours, day):
            opens, closes = max(opens, last_close), min(closes, end)
            if closes > opens:
                total += closes - opens
                last_close = closes
        day += timedelta(days=1)
    return total


def is_open(hours: BusinessHours, moment: datetime) -> bool:
    """Whether the desk is open at ``moment`` (an interval includes its opening, not its closing)."""
    moment = _aware(moment, "moment")
    if hours.is_wall_clock:
        return True
    day = moment.astimezone(hours.tz).date()
    for candidate in (day - timedelta(days=1), day, day + timedelta(days=1)):
        if any(opens <= moment < closes for opens, closes in day_intervals(hours, candidate)):
            return True
    return False


def next_opening(hours: BusinessHours, moment: datetime) -> datetime:
    """The first moment at or after ``moment`` when the desk is open: ``moment`` itself when it is open.
    Raises NoOpenTime for a schedule that is never open."""
    moment = _aware(moment, "moment")
    if hours.is_wall_clock:
        return moment
    opens, _closes = next(_open_intervals(hours, moment))
    return opens


def check_open_sometime(hours: BusinessHours, moment: datetime) -> None:
    """Raise NoOpenTime unless the desk opens at or after ``moment`` (the check a schedule passes before it
    is saved: one without spans, or whose holidays close every day, would give no due time)."""
    if not hours.has_spans():
        raise NoOpenTime("The schedule has no open hours: add a span, or make it 24x7.")
    next_opening(hours, moment)
