"""Due times against cases computed by hand: each expected time is written out, with the reckoning beside it.

Calendar facts used: 20 Nov 2026 is a Friday. Europe/Berlin goes from CET (+01:00) to CEST (+02:00) at 02:00
on Sunday 29 March 2026 and back at 03:00 on Sunday 25 October 2026; America/New_York from EST (-05:00) to
EDT (-04:00) at 02:00 on Sunday 8 March 2026 and back at 02:00 on Sunday 1 November 2026.
"""

from datetime import UTC, datetime, timedelta

import pytest

from helpline.sla.clock import add_business_time, business_time_between, is_open, next_opening
from helpline.sla.tests.schedules import SCHEDULES

H = timedelta(hours=1)
M = timedelta(minutes=1)

# (schedule, start, business time to add, expected due time, the reckoning)
CASES = [
    # Weekdays 09:00-17:00 in Berlin.
    ("office", "2026-11-20T16:00+01:00", 8 * H, "2026-11-23T16:00+01:00", "Fri 1 h, Mon 09-16"),
    ("office", "2026-11-21T10:00+01:00", 1 * H, "2026-11-23T10:00+01:00", "Saturday: from Monday's opening"),
    ("office", "2026-11-23T08:00+01:00", 30 * M, "2026-11-23T09:30+01:00", "before opening"),
    ("office", "2026-11-23T17:00+01:00", 1 * H, "2026-11-24T10:00+01:00", "at closing: the next day"),
    ("office", "2026-11-23T09:00+01:00", 8 * H, "2026-11-23T17:00+01:00", "runs out at closing exactly"),
    ("office", "2026-11-23T12:00+01:00", 40 * H, "2026-11-30T12:00+01:00", "5 h, 4 whole days, 3 h"),
    ("office", "2026-11-21T10:00+01:00", 0 * H, "2026-11-23T09:00+01:00", "nothing to add: next opening"),
    ("office", "2026-11-23T09:00+01:00", 2080 * H, "2027-11-19T17:00+01:00", "52 weeks of 40 h"),
    ("office", "2026-11-20T15:00+00:00", 8 * H, "2026-11-23T16:00+01:00", "a UTC start, 16:00 in Berlin"),
    ("office", "2026-03-27T16:00+01:00", 2 * H, "2026-03-30T10:00+02:00", "over the spring-forward weekend"),
    # Holidays: a single date (24 Dec 2026 only), yearly ones (25 and 26 Dec, 1 Jan).
    ("office+holidays", "2026-12-23T16:00+01:00", 2 * H, "2026-12-28T10:00+01:00", "24, 25 Dec closed"),
    ("office+holidays", "2027-12-23T16:00+01:00", 2 * H, "2027-12-24T10:00+01:00", "24 Dec 2027 open"),
    ("office+holidays", "2028-12-22T16:00+01:00", 2 * H, "2028-12-27T10:00+01:00", "Mon 25, Tue 26 off"),
    ("office+holidays", "2026-12-31T16:00+01:00", 4 * H, "2027-01-04T12:00+01:00", "New Year on Friday"),
    # Public holidays from the country's calendar.
    ("office DE-BY", "2026-05-13T16:00+02:00", 2 * H, "2026-05-15T10:00+02:00", "Ascension Day, Thu 14"),
    ("office DE-BY", "2026-06-03T16:00+02:00", 2 * H, "2026-06-05T10:00+02:00", "Corpus Christi in Bavaria"),
    ("office DE-BE", "2026-06-03T16:00+02:00", 2 * H, "2026-06-04T10:00+02:00", "not a holiday in Berlin"),
    ("office US", "2026-11-25T16:00-05:00", 2 * H, "2026-11-27T10:00-05:00", "Thanksgiving, Thu 26"),
    ("office US", "2026-07-02T16:00-04:00", 2 * H, "2026-07-06T10:00-04:00", "4 July observed on Fri 3"),
    (
        "office NY",
        "2026-03-06T16:00-05:00",
        2 * H,
        "2026-03-09T10:00-04:00",
        "over New York's spring forward",
    ),
    # Several spans a day, and spans that overlap.
    ("split", "2026-11-23T11:00+01:00", 2 * H, "2026-11-23T14:00+01:00", "over lunch"),
    ("split", "2026-11-23T12:30+01:00", 1 * H, "2026-11-23T14:00+01:00", "starting at lunch"),
    ("split", "2026-11-23T11:00+01:00", 1 * H, "2026-11-23T12:00+01:00", "runs out at lunch"),
    ("split", "2026-11-27T16:00+01:00", 6 * H, "2026-11-30T14:00+01:00", "Fri 1 h, Mon 4 h + 1 h"),
    ("overlapping", "2026-11-23T09:00+01:00", 8 * H, "2026-11-23T17:00+01:00", "09-13 and 11-17 are 8 h"),
    # Spans across midnight: weekday nights 22:00-06:00 UTC.
    ("nights", "2026-11-23T23:00+00:00", 2 * H, "2026-11-24T01:00+00:00", "over midnight"),
    ("nights", "2026-11-24T05:00+00:00", 3 * H, "2026-11-25T00:00+00:00", "1 h, then Tue 22-24"),
    ("nights", "2026-11-28T05:00+00:00", 2 * H, "2026-11-30T23:00+00:00", "Friday's night ends Sat 06:00"),
    ("nights", "2026-11-29T03:00+00:00", 1 * H, "2026-11-30T23:00+00:00", "no Saturday night"),
    ("nights, Wed 25 Nov off", "2026-11-24T23:00+00:00", 3 * H, "2026-11-26T02:00+00:00", "Wed closed"),
    ("Monday evenings to midnight", "2026-11-23T23:00+00:00", 2 * H, "2026-11-30T19:00+00:00", "24:00"),
    # Daylight saving in Berlin: 00:00-06:00 every day is 5 h in March, 7 h in October.
    ("Berlin early hours", "2026-03-29T00:00+01:00", 5 * H, "2026-03-29T06:00+02:00", "5 real hours"),
    ("Berlin early hours", "2026-03-29T00:00+01:00", 5 * H + 30 * M, "2026-03-30T00:30+02:00", "next night"),
    ("Berlin early hours", "2026-10-25T00:00+02:00", 7 * H, "2026-10-25T06:00+01:00", "7 real hours"),
    ("Berlin early hours", "2026-10-25T00:00+02:00", 6 * H, "2026-10-25T05:00+01:00", "22:00Z + 6 h"),
    # A local time that does not exist is the end of the gap; a repeated one its first occurrence.
    ("Berlin Sunday 02:30-04:00", "2026-03-29T00:00+01:00", 30 * M, "2026-03-29T03:30+02:00", "opens 03:00"),
    ("Berlin Sunday 01:00-02:30", "2026-03-29T01:00+01:00", 1 * H, "2026-03-29T03:00+02:00", "closes 03:00"),
    ("Berlin Sunday 01:00-02:30", "2026-03-29T01:00+01:00", 90 * M, "2026-04-05T01:30+02:00", "1 h that day"),
    ("Berlin Sunday 02:30-04:00", "2026-10-25T00:00+02:00", 150 * M, "2026-10-25T04:00+01:00", "2.5 h"),
    ("Berlin Sunday 02:30-04:00", "2026-10-25T00:00+02:00", 2 * H, "2026-10-25T03:30+01:00", "00:30Z + 2 h"),
    ("Berlin Sunday 00:00-02:30", "2026-10-25T00:00+02:00", 150 * M, "2026-10-25T02:30+02:00", "first 02:30"),
    ("Berlin Sunday 00:00-02:30", "2026-10-25T00:00+02:00", 3 * H, "2026-11-01T00:30+01:00", "next Sunday"),
    # Daylight saving in New York: 00:00-04:00 every day is 3 h in March, 5 h in November.
    ("New York early hours", "2026-03-08T00:00-05:00", 3 * H, "2026-03-08T04:00-04:00", "3 real hours"),
    ("New York early hours", "2026-03-08T00:00-05:00", 3 * H + 15 * M, "2026-03-09T00:15-04:00", "next"),
    ("New York early hours", "2026-11-01T00:00-04:00", 5 * H, "2026-11-01T04:00-05:00", "5 real hours"),
    ("New York early hours", "2026-11-01T00:00-04:00", 4 * H, "2026-11-01T03:00-05:00", "04:00Z + 4 h"),
    ("New York early hours", "2026-11-01T01:30-05:00", 1 * H, "2026-11-01T02:30-05:00", "the second 01:30"),
    # 24x7: wall-clock time, real hours over a daylight-saving change; a holiday still closes its day.
    ("24x7", "2026-03-29T00:00+01:00", 5 * H, "2026-03-29T06:00+02:00", "23:00Z + 5 h"),
    ("24x7", "2026-11-20T16:00+01:00", 8 * H, "2026-11-21T00:00+01:00", "plain hours"),
    ("24x7 Berlin, 25 Dec off", "2026-12-24T22:00+01:00", 4 * H, "2026-12-26T02:00+01:00", "2 h + 2 h"),
]


@pytest.mark.parametrize(("schedule", "start", "duration", "expected", "why"), CASES)
def test_the_due_time_is_the_one_computed_by_hand(schedule, start, duration, expected, why):
    due = add_business_time(SCHEDULES[schedule], datetime.fromisoformat(start), duration)
    assert due == datetime.fromisoformat(expected), why
    assert due.tzinfo is UTC


# (schedule, start, end, expected business time between them, the reckoning)
BETWEEN = [
    ("office", "2026-11-20T16:00+01:00", "2026-11-23T10:00+01:00", 2 * H, "Fri 1 h, Mon 1 h"),
    ("office", "2026-11-21T00:00+01:00", "2026-11-23T00:00+01:00", 0 * H, "a weekend"),
    ("split", "2026-11-23T07:00+01:00", "2026-11-23T18:00+01:00", 8 * H, "two 4 h spans"),
    ("office+holidays", "2026-12-23T09:00+01:00", "2026-12-28T17:00+01:00", 16 * H, "Wed and Mon"),
    ("nights", "2026-11-27T21:00+00:00", "2026-11-30T23:00+00:00", 9 * H, "Fri night 8 h, Mon 1 h"),
    ("Berlin early hours", "2026-03-29T00:00+01:00", "2026-03-30T00:00+02:00", 5 * H, "spring forward"),
    ("Berlin early hours", "2026-10-25T00:00+02:00", "2026-10-26T00:00+01:00", 7 * H, "fall back"),
    ("New York early hours", "2026-11-01T00:00-04:00", "2026-11-02T00:00-05:00", 5 * H, "fall back"),
    ("24x7", "2026-10-25T00:00+02:00", "2026-10-26T00:00+01:00", 25 * H, "a 25-hour day"),
    ("office", "2026-11-23T12:00+01:00", "2026-11-23T10:00+01:00", 0 * H, "the end before the start"),
]


@pytest.mark.parametrize(("schedule", "start", "end", "expected", "why"), BETWEEN)
def test_the_business_time_between_two_moments_is_the_one_computed_by_hand(
    schedule, start, end, expected, why
):
    hours = SCHEDULES[schedule]
    assert (
        business_time_between(hours, datetime.fromisoformat(start), datetime.fromisoformat(end)) == expected
    )


@pytest.mark.parametrize(
    ("schedule", "moment", "open_then", "opening"),
    [
        ("office", "2026-11-20T16:59+01:00", True, "2026-11-20T16:59+01:00"),
        ("office", "2026-11-20T17:00+01:00", False, "2026-11-23T09:00+01:00"),
        ("office", "2026-11-23T09:00+01:00", True, "2026-11-23T09:00+01:00"),
        ("office", "2026-11-22T12:00+01:00", False, "2026-11-23T09:00+01:00"),
        ("nights", "2026-11-28T05:59+00:00", True, "2026-11-28T05:59+00:00"),
        ("nights", "2026-11-28T06:00+00:00", False, "2026-11-30T22:00+00:00"),
        ("office+holidays", "2026-12-24T10:00+01:00", False, "2026-12-28T09:00+01:00"),
        ("Berlin Sunday 02:30-04:00", "2026-03-29T01:59+01:00", False, "2026-03-29T03:00+02:00"),
    ],
)
def test_whether_the_desk_is_open_and_when_it_opens(schedule, moment, open_then, opening):
    hours, at = SCHEDULES[schedule], datetime.fromisoformat(moment)
    assert is_open(hours, at) is open_then
    assert next_opening(hours, at) == datetime.fromisoformat(opening)
    assert next_opening(hours, at).tzinfo is UTC
