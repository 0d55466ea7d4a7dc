"""Schedules and plans as rows: what they refuse, the ``BusinessHours`` they make, the targets a priority
gets, and ``due_from`` (kept for the ticket actions) counting on the plan's schedule."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from helpline.catalog.models import Priority
from helpline.sla.hours import BusinessHours, Span
from helpline.sla.models import EscalationStep, Holiday, Schedule, ScheduleSpan, SLATarget
from helpline.testsupport.factories import SLAPlanFactory, TeamFactory


@pytest.fixture
def office(db):
    schedule = Schedule.objects.create(
        name="Office", time_zone="Europe/Berlin", country="DE", subdivision="BY"
    )
    ScheduleSpan.objects.create(schedule=schedule, weekday=0, start=time(9), end=time(17))
    ScheduleSpan.objects.create(schedule=schedule, weekday=4, start=time(22), end=time(0))
    Holiday.objects.create(schedule=schedule, name="Founders' day", date=date(2026, 12, 24))
    Holiday.objects.create(schedule=schedule, name="Christmas", month=12, day=25)
    return schedule


def test_a_schedule_makes_the_business_hours_it_stores(office):
    assert office.business_hours() == BusinessHours(
        zone="Europe/Berlin",
        always_open=False,
        spans=(
            Span(0, timedelta(hours=9), timedelta(hours=17)),
            Span(4, timedelta(hours=22), timedelta(hours=24)),
        ),
        dates=frozenset({date(2026, 12, 24)}),
        yearly=frozenset({(12, 25)}),
        country="DE",
        subdivision="BY",
    )


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"time_zone": "Europe/Atlantis"}, "“Europe/Atlantis” is not a known time zone"),
        ({"time_zone": ""}, "This field cannot be blank"),
        ({"country": "XX"}, "“XX” is not a country code with a holiday calendar"),
        ({"country": "DE", "subdivision": "XY"}, "DE has no subdivision “XY”"),
    ],
)
def test_a_schedule_refuses_unknown_zones_and_countries(db, fields, error):
    schedule = Schedule(**{"name": "Office", "time_zone": "Europe/Berlin"} | fields)
    with pytest.raises(ValidationError, match=error):
        schedule.full_clean()


def test_spans_and_holidays_refuse_what_cannot_be(office):
    with pytest.raises(ValidationError, match="ends when it starts"):
        ScheduleSpan(schedule=office, weekday=1, start=time(9), end=time(9)).full_clean()
    ScheduleSpan(schedule=office, weekday=1, start=time(0), end=time(0)).full_clean()  # the whole day
    with pytest.raises(ValidationError, match="either a date, or a month and a day"):
        Holiday(schedule=office, name="Both", date=date(2026, 1, 1), month=1, day=1).full_clean()
    with pytest.raises(ValidationError, match="no such day"):
        Holiday(schedule=office, name="Nope", month=4, day=31).full_clean()
    Holiday(schedule=office, name="Leap day", month=2, day=29).full_clean()


def test_a_priority_gets_its_own_targets_and_the_plans_where_it_has_none(db):
    high, low = Priority.objects.get(name="High"), Priority.objects.get(name="Low")
    plan = SLAPlanFactory(first_response_target=timedelta(hours=1), hours=8, warn_percent=80)
    SLATarget.objects.create(plan=plan, priority=high, resolution=timedelta(hours=2))
    targets = plan.targets_for(high)
    assert (targets.first_response, targets.resolution, targets.warn_percent) == (
        timedelta(hours=1),
        timedelta(hours=2),
        80,
    )
    assert plan.targets_for(low.pk).resolution == timedelta(hours=8)
    assert plan.targets_for(None).resolution == timedelta(hours=8)
    assert targets.warning_after(targets.resolution) == timedelta(minutes=96)
    assert targets.warning_after(None) is None
    with pytest.raises(ValidationError, match="Give a first-response or a resolution target"):
        SLATarget(plan=plan, priority=low).full_clean()


def test_due_from_counts_the_resolution_target_on_the_plans_schedule(office):
    plan = SLAPlanFactory(schedule=office, hours=4)
    # Monday 16:00 in Berlin: 1 h on Monday; Friday 22:00-24:00 gives 2 h; Monday 7 Dec 09:00-10:00 the last.
    assert plan.due_from(datetime(2026, 11, 30, 15, tzinfo=UTC)) == datetime(2026, 12, 7, 9, tzinfo=UTC)
    wall_clock = SLAPlanFactory(hours=4)
    assert wall_clock.due_from(datetime(2026, 11, 30, 15, tzinfo=UTC)) == datetime(
        2026, 11, 30, 19, tzinfo=UTC
    )


def test_an_escalation_step_keeps_only_the_field_its_action_uses(db):
    plan = SLAPlanFactory()
    team = TeamFactory(name="Network")
    step = EscalationStep(
        plan=plan,
        target="resolution",
        trigger="breach",
        action="assign_team",
        team=team,
        priority=Priority.objects.get(name="High"),
    )
    step.full_clean()
    assert step.team == team and step.priority is None
    assert str(step) == "On breach of resolution: Assign to a team Network"
    with pytest.raises(ValidationError, match="Choose the team"):
        EscalationStep(plan=plan, target="resolution", trigger="breach", action="assign_team").full_clean()
