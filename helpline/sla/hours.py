"""Business hours as plain, immutable data, and the calendar rules that turn them into open intervals.

``BusinessHours`` is what the due-time math (``sla.clock``) counts on. It is built from a ``Schedule`` row by
``Schedule.business_hours()``, or is ``TWENTY_FOUR_SEVEN`` when a plan has no schedule; nothing here reads
the database.

The rules, in the schedule's own time zone:

- A span is a weekday and a local start and end. An end at or before the start is on the next day
  (22:00-06:00 ends the next morning; an end of 00:00 is midnight at the end of the day, "24:00").
- A holiday closes its whole local calendar day, midnight to midnight. A span that crosses midnight into or
  out of a holiday keeps its part on the working day.
- Each local boundary becomes an instant on its own, so a span that a daylight-saving change shortens or
  lengthens counts its real length (00:00-06:00 is 5 hours on the night the clocks go forward, 7 on the night
  they go back). A local time that occurs twice (clocks going back) means its first occurrence; a local time
  that does not exist (clocks going forward) means the moment the clocks jump, the end of the gap (in
  Europe/Berlin, 02:30 on the last Sunday of March is 03:00 CEST). Two spans that meet at a local time meet at
  one instant, so nothing is counted twice or lost.
- A 24x7 schedule is open every day from midnight to midnight; its holidays still close their days.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

DAY = timedelta(days=1)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class NoOpenTime(ValueError):
    """The schedule is never open (no span, or holidays that close every day), so no due time exists."""


@dataclass(frozen=True, order=True)
class Span:
    """Open from ``start`` to ``end`` after the local midnight that begins ``weekday`` (0 is Monday).
    ``end`` may pass 24 hours: the span then ends on the next day. 0 <= start < 24 h, start < end <= start + 24 h.
    """

    weekday: int
    start: timedelta
    end: timedelta

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}")
        if not timedelta(0) <= self.start < DAY or not self.start < self.end <= self.start + DAY:
            raise ValueError(f"a span must start within the day and last at most a day: {self}")

    @classmethod
    def of(cls, weekday: int, start: time, end: time) -> "Span":
        """A span from local clock times: an ``end`` at or before ``start`` is on the next day, so 00:00 as
        the end means midnight at the end of the day (00:00-00:00 is the whole day)."""
        begins, ends = _offset(start), _offset(end)
        return cls(weekday, begins, ends if ends > begins else ends + DAY)


def _offset(clock: time) -> timedelta:
    return timedelta(hours=clock.hour, minutes=clock.minute, seconds=clock.second)


@dataclass(frozen=True)
class BusinessHours:
    """When a desk is open. ``always_open`` (24x7) ignores ``spans``. ``dates`` are closed days,
    ``yearly`` closed (month, day) pairs every year, ``country`` and ``subdivision`` a calendar of public
    holidays from the ``holidays`` package (validated by the model; an unknown code raises here)."""

    zone: str = "UTC"
    always_open: bool = True
    spans: tuple[Span, ...] = ()
    dates: frozenset[date] = frozenset()
    yearly: frozenset[tuple[int, int]] = frozenset()
    country: str = ""
    subdivision: str = ""
    _tz: ZoneInfo = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "_tz", ZoneInfo(self.zone))
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"Unknown time zone {self.zone!r}") from error
        object.__setattr__(self, "spans", tuple(sorted(self.spans)))
        if self.country:
            try:  # refuse an unknown code now, not in the middle of a computation
                _country_days(self.country, self.subdivision, 2000)
            except NotImplementedError as error:
                raise ValueError(str(error)) from error

    @property
    def tz(self) -> ZoneInfo:
        return self._tz

    @property
    def is_wall_clock(self) -> bool:
        """Open at every moment: plain arithmetic answers every question."""
        return self.always_open and not (self.dates or self.yearly or self.country)

    def is_holiday(self, day: date) -> bool:
        return (
            day in self.dates
            or (day.month, day.day) in self.yearly
            or (bool(self.country) and day in _country_days(self.country, self.subdivision, day.year))
        )

    def has_spans(self) -> bool:
        return self.always_open or bool(self.spans)


TWENTY_FOUR_SEVEN = BusinessHours()
WHOLE_WEEK = tuple(Span(weekday, timedelta(0), DAY) for weekday in range(7))


@lru_cache(maxsize=512)
def _country_days(country: str, subdivision: str, year: int) -> frozenset[date]:
    """The public holidays (observed days included, as the package gives them by default) of one year."""
    calendar = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return frozenset(calendar.keys())


def public_holidays(country: str, subdivision: str, first: date, days: int) -> list[tuple[date, str]]:
    """The country's public holidays from ``first`` for ``days`` days, with their names, in date order."""
    last = first + timedelta(days=days)
    calendar = holidays.country_holidays(
        country, subdiv=subdivision or None, years=range(first.year, last.year + 1)
    )
    return sorted((day, name) for day, name in calendar.items() if first <= day < last)


def local_to_instant(local: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant of a naive local time, by the rule in this module's docstring: the first occurrence
    of a repeated time, the end of the gap for a time that does not exist."""
    first = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == local:
        return first
    return _gap_end(local, zone)


def _gap_end(local: datetime, zone: ZoneInfo) -> datetime:
    """The instant the clocks jumped over ``local``. Read with the offset after the jump, ``local`` lands
    before it; with the offset before, after it. Bisect to the second between the two (zone transitions
    fall on whole seconds): a few steps, and only for the rare time that does not exist."""
    before = local.replace(tzinfo=zone, fold=1).astimezone(UTC)
    after = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    low, high = min(before, after), max(before, after)
    offset_after = high.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle.astimezone(zone).utcoffset() == offset_after:
            high = middle
        else:
            low = middle
    return high


def _pieces(hours: BusinessHours, day: date) -> list[tuple[timedelta, timedelta]]:
    """The open parts of one local calendar day as offsets from its midnight, 0 <= start < end <= 24 h:
    the day's own spans (cut at midnight) and the morning part of the previous day's spans that cross it."""
    if hours.is_holiday(day):
        return []
    spans = WHOLE_WEEK if hours.always_open else hours.spans
    weekday, yesterday = day.weekday(), (day.weekday() - 1) % 7
    pieces = []
    for span in spans:
        if span.weekday == weekday:
            pieces.append((span.start, min(span.end, DAY)))
        if span.weekday == yesterday and span.end > DAY:
            pieces.append((timedelta(0), span.end - DAY))
    return pieces


@lru_cache(maxsize=8192)
def day_intervals(hours: BusinessHours, day: date) -> tuple[tuple[datetime, datetime], ...]:
    """The open intervals of one local calendar day as UTC instants [opens, closes), sorted, overlaps
    merged, empty ones (a span inside a daylight-saving gap) dropped."""
    midnight = datetime.combine(day, time())
    intervals: list[tuple[datetime, datetime]] = []
    for begin, end in sorted(_pieces(hours, day)):
        opens = local_to_instant(midnight + begin, hours.tz)
        closes = local_to_instant(midnight + end, hours.tz)
        if closes <= opens:
            continue
        if intervals and opens <= intervals[-1][1]:
            intervals[-1] = (intervals[-1][0], max(intervals[-1][1], closes))
        else:
            intervals.append((opens, closes))
    return tuple(intervals)
