"""``manage.py sla_preview``: the due times a ticket opened at --start would get, ISO 8601 in the plan's zone."""

from datetime import time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from helpline.catalog.models import Priority
from helpline.sla.models import Schedule, ScheduleSpan, SLATarget
from helpline.testsupport.factories import SLAPlanFactory


def preview(*args: str) -> str:
    out = StringIO()
    call_command("sla_preview", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def sev_c(db):
    schedule = Schedule.objects.create(name="Business hours", time_zone="Europe/Berlin")
    for day in range(5):
        ScheduleSpan.objects.create(schedule=schedule, weekday=day, start=time(9), end=time(17))
    plan = SLAPlanFactory(name="Sev-C", schedule=schedule, first_response_target=timedelta(hours=2), hours=8)
    SLATarget.objects.create(
        plan=plan, priority=Priority.objects.get(name="High"), first_response=timedelta(minutes=30)
    )
    return plan


def test_a_naive_start_is_read_in_the_schedules_zone(sev_c):
    out = preview("Sev-C", "--start", "2026-11-20T16:00")
    assert "Opened:         2026-11-20T16:00:00+01:00\n" in out
    assert "First response: 2026-11-23T10:00:00+01:00  (2 h)\n" in out  # 1 h on Friday, 1 h on Monday
    assert "Resolution:     2026-11-23T16:00:00+01:00  (8 h)\n" in out
    assert "schedule Business hours; times in Europe/Berlin" in out


def test_an_aware_start_is_converted_and_the_priority_brings_its_targets(sev_c):
    out = preview("sev-c", "--priority", "high", "--start", "2026-11-20T15:30+00:00")
    assert "Opened:         2026-11-20T16:30:00+01:00\n" in out
    assert "Priority:       High\n" in out
    assert "First response: 2026-11-20T17:00:00+01:00  (30 min)\n" in out
    assert "Resolution:     2026-11-23T16:30:00+01:00  (8 h)\n" in out


def test_without_a_start_the_ticket_opens_now(sev_c):
    with time_machine.travel("2026-11-23T08:15:42Z", tick=False):  # Monday 09:15:42 in Berlin
        out = preview("Sev-C")
    assert "Opened:         2026-11-23T09:15:42+01:00\n" in out
    assert "Resolution:     2026-11-24T09:15:42+01:00  (8 h)\n" in out


def test_a_plan_without_a_schedule_counts_wall_clock_time_in_the_desks_zone(db, settings):
    settings.TIME_ZONE = "America/New_York"
    SLAPlanFactory(name="Sev-A", hours=1, warn_percent=75)
    out = preview("Sev-A", "--start", "2026-11-01T01:30-04:00")  # the first 01:30, before the clocks go back
    assert "Opened:         2026-11-01T01:30:00-04:00\n" in out
    assert "First response: no target\n" in out
    assert "Resolution:     2026-11-01T01:30:00-05:00  (1 h, warning at 2026-11-01T01:15:00-05:00)\n" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Nope"], "No SLA plan named “Nope”. The plans: Sev-C."),
        (
            ["Sev-C", "--priority", "Whenever"],
            "No priority named “Whenever”. The priorities: Emergency, High",
        ),
        (["Sev-C", "--start", "tomorrow"], "“tomorrow” is not a date and time"),
    ],
)
def test_bad_arguments_are_refused_with_the_reason(sev_c, args, message):
    with pytest.raises(CommandError, match=message):
        preview(*args)
