"""A change to an SLA plan's targets or pausing, or to the schedule it counts on, recounts the due times of
its unfinished tickets (in the background, once the change is saved); finished tickets keep theirs, and a
change that moves no due time recounts nothing."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from conftest import open_with_hints
from helpline.admin_panel.tests.test_schedules import edit_url as schedule_url
from helpline.admin_panel.tests.test_schedules import rows, schedule_data
from helpline.admin_panel.tests.test_sla_plans import edit_url as plan_url
from helpline.admin_panel.tests.test_sla_plans import plan_data
from helpline.catalog.models import State, TicketStatus
from helpline.sla.models import Schedule, ScheduleSpan
from helpline.testsupport.factories import SLAPlanFactory
from helpline.tickets.actions import set_status
from helpline.tickets.models import Ticket

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def open_at(sam, rita, support):
    def open_one(plan, moment: datetime) -> Ticket:
        with at(moment):
            return open_with_hints(
                actor=sam, requester=rita, department=support, sla_plan=plan, subject="Printer", body="Jams."
            )

    return open_one


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def save(admin_client, url: str, data: dict, moment: datetime, capture) -> None:
    with at(moment), capture(execute=True):
        assert admin_client.post(url, data).status_code == 302


def test_new_targets_and_pausing_recount_unfinished_tickets(
    admin_client, open_at, sam, django_capture_on_commit_callbacks
):
    plan = SLAPlanFactory(name="Sev-B", hours=8)  # round the clock
    working, waiting, done = (open_at(plan, MONDAY) for _ in range(3))
    with at(MONDAY + timedelta(minutes=30)):
        set_status(actor=sam, ticket=fresh(waiting), status=TicketStatus.default_for(State.PENDING))
        set_status(actor=sam, ticket=fresh(done), status=TicketStatus.default_for(State.RESOLVED))
    frozen = fresh(done).due_at
    # An hour in, the administrator shortens the target to 2 h and stops pausing pending tickets.
    data = plan_data(name="Sev-B", resolution_target="2 h", pause_when_pending=None)
    save(admin_client, plan_url(plan), data, MONDAY + timedelta(hours=1), django_capture_on_commit_callbacks)
    assert fresh(working).due_at == MONDAY + timedelta(hours=2)
    # Paused after 30 min, running again from the change: 1 h 30 min left from 10:00.
    assert fresh(waiting).due_at == MONDAY + timedelta(hours=2, minutes=30)
    assert fresh(done).due_at == frozen == MONDAY + timedelta(hours=8)


def test_a_rename_recounts_nothing(admin_client, open_at, django_capture_on_commit_callbacks):
    plan = SLAPlanFactory(name="Sev-B", hours=8)
    ticket = open_at(plan, MONDAY)
    Ticket.objects.filter(pk=ticket.pk).update(due_at=None)  # what a recount would put back
    data = plan_data(name="Severity B", resolution_target="8 h")
    save(admin_client, plan_url(plan), data, MONDAY + timedelta(hours=1), django_capture_on_commit_callbacks)
    assert fresh(ticket).due_at is None


def test_shorter_business_hours_move_the_due_times_of_the_plans_on_the_schedule(
    admin_client, open_at, django_capture_on_commit_callbacks
):
    office = Schedule.objects.create(name="Office", time_zone="UTC")
    spans = [
        ScheduleSpan.objects.create(schedule=office, weekday=day, start=time(9), end=time(17))
        for day in range(5)
    ]
    plan = SLAPlanFactory(name="Office plan", hours=8, schedule=office)
    ticket = open_at(plan, MONDAY)
    assert ticket.due_at == MONDAY + timedelta(hours=8)  # Monday 17:00
    mornings = [
        {"id": str(span.pk), "weekday": str(span.weekday), "start": "09:00", "end": "13:00"} for span in spans
    ]
    data = schedule_data(name="Office", time_zone="UTC") | rows("spans", mornings, initial=5)
    save(
        admin_client,
        schedule_url(office),
        data,
        MONDAY + timedelta(hours=1),
        django_capture_on_commit_callbacks,
    )
    # Four hours on Monday morning, four on Tuesday's.
    assert fresh(ticket).due_at == datetime(2026, 3, 3, 13, 0, tzinfo=UTC)
