"""Properties of the due-time math on any schedule: random spans (across midnight too), holidays and zones
with daylight-saving changes (Lord Howe's is half an hour), random starts and durations.

Plus the refusals: naive datetimes, negative durations, a schedule that is never open, unknown zones and
countries."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from helpline.sla.clock import (
    MAX_CLOSED_DAYS,
    add_business_time,
    business_time_between,
    check_open_sometime,
    is_open,
    next_opening,
)
from helpline.sla.hours import BusinessHours, NoOpenTime, Span

ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/Santiago",
]
TICK = timedelta(microseconds=1)

clock_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
spans = st.builds(Span.of, st.integers(0, 6), clock_times, clock_times).filter(lambda s: s.end > s.start)
holiday_dates = st.dates(date(2026, 1, 1), date(2027, 12, 31))


@st.composite
def schedules(draw) -> BusinessHours:
    always = draw(st.sampled_from([False, False, False, True]))
    return BusinessHours(
        zone=draw(st.sampled_from(ZONES)),
        always_open=always,
        spans=tuple(draw(st.lists(spans, min_size=1, max_size=6))),
        dates=frozenset(draw(st.lists(holiday_dates, max_size=8))),
        yearly=frozenset(draw(st.lists(st.tuples(st.integers(1, 12), st.integers(1, 28)), max_size=4))),
        country=draw(st.sampled_from(["", "", "DE", "US"])),
    )


# hypothesis bounds naive datetimes and attaches the zone itself
moments = st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC))  # noqa: DTZ001
durations = st.timedeltas(timedelta(0), timedelta(hours=300)).map(
    lambda d: d - timedelta(microseconds=d.microseconds)
)


@given(schedules(), moments, durations)
def test_a_due_time_falls_inside_business_hours_or_at_a_closing(hours, start, duration):
    due = add_business_time(hours, start, duration)
    assert due >= start and due.tzinfo is UTC
    if duration:
        assert is_open(hours, due - TICK)  # the last moment counted was open: due is inside, or at a closing
    else:
        assert is_open(hours, due)  # nothing counted: the next opening


@given(schedules(), moments, durations, durations)
def test_adding_more_time_never_gives_an_earlier_due_time(hours, start, duration, more):
    assert add_business_time(hours, start, duration + more) >= add_business_time(hours, start, duration)


@given(schedules(), moments, durations)
def test_the_business_time_up_to_the_due_time_is_the_time_added(hours, start, duration):
    assert business_time_between(hours, start, add_business_time(hours, start, duration)) == duration


@given(schedules(), moments, durations, st.timedeltas(timedelta(0), timedelta(days=20)), st.floats(0, 1))
def test_pausing_for_a_span_outside_business_hours_changes_nothing(hours, start, duration, after, fraction):
    """The clock stops at ``paused`` and resumes at ``resumed``, both in one closed stretch: counting what was
    used before the pause and adding the rest after it gives the same due time as never pausing."""
    paused = start + after
    assume(not is_open(hours, paused))
    resumed = paused + (next_opening(hours, paused) - paused) * fraction
    used = business_time_between(hours, start, paused)
    assume(used < duration)
    assert add_business_time(hours, resumed, duration - used) == add_business_time(hours, start, duration)


@given(moments, durations)
def test_without_a_schedule_it_is_wall_clock_time(start, duration):
    hours = BusinessHours()
    assert add_business_time(hours, start, duration) == start + duration
    assert business_time_between(hours, start, start + duration) == duration


def test_naive_times_and_negative_durations_are_refused():
    hours = BusinessHours(zone="Europe/Berlin", always_open=False, spans=(Span.of(0, time(9), time(17)),))
    with pytest.raises(ValueError, match="aware"):
        add_business_time(hours, datetime(2026, 11, 23, 9), timedelta(hours=1))  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        is_open(hours, datetime(2026, 11, 23, 9))  # noqa: DTZ001
    with pytest.raises(ValueError, match="negative"):
        add_business_time(hours, datetime(2026, 11, 23, 9, tzinfo=UTC), -timedelta(minutes=1))


def test_a_schedule_that_is_never_open_raises_a_clear_error_after_bounded_work():
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    no_spans = BusinessHours(zone="Europe/Berlin", always_open=False)
    every_day_off = BusinessHours(
        zone="Europe/Berlin", yearly=frozenset((d.month, d.day) for d in _every_day_of(2028))
    )
    for hours in (no_spans, every_day_off):
        with pytest.raises(NoOpenTime, match="not open"):
            add_business_time(hours, start, timedelta(hours=1))
        with pytest.raises(NoOpenTime):
            next_opening(hours, start)
        with pytest.raises(NoOpenTime):
            check_open_sometime(hours, start)
        assert business_time_between(hours, start, start + timedelta(days=30)) == timedelta(0)
        assert not is_open(hours, start)
    assert MAX_CLOSED_DAYS < 800  # the search gives up after about two years of days, not minutes


def test_closed_days_in_a_row_do_not_stop_a_schedule_that_opens_again():
    holidays = frozenset(date(2026, 1, 1) + timedelta(days=n) for n in range(400))
    hours = BusinessHours(zone="UTC", dates=holidays)
    due = add_business_time(hours, datetime(2026, 1, 1, tzinfo=UTC), timedelta(hours=1))
    assert due == datetime(2027, 2, 5, 1, tzinfo=UTC)  # 400 days after 1 Jan 2026 is 5 Feb 2027


def test_unknown_zones_countries_and_impossible_spans_are_refused():
    with pytest.raises(ValueError, match="Unknown time zone"):
        BusinessHours(zone="Mars/Olympus_Mons")
    with pytest.raises(ValueError, match="XX not available"):
        BusinessHours(country="XX")
    with pytest.raises(ValueError, match="does not have subdivision ZZ"):
        BusinessHours(country="DE", subdivision="ZZ")
    with pytest.raises(ValueError, match="weekday"):
        Span(7, timedelta(0), timedelta(hours=1))
    with pytest.raises(ValueError, match="at most a day"):
        Span(0, timedelta(hours=9), timedelta(hours=34))


def test_a_span_of_clock_times_ends_the_next_day_when_its_end_is_not_after_its_start():
    assert Span.of(4, time(22), time(6)) == Span(4, timedelta(hours=22), timedelta(hours=30))
    assert Span.of(0, time(18), time(0)) == Span(0, timedelta(hours=18), timedelta(hours=24))
    assert Span.of(0, time(0), time(0)) == Span(0, timedelta(0), timedelta(hours=24))  # the whole day


def _every_day_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]
