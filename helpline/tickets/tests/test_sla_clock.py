"""The SLA clock on tickets: due times on business hours, pauses, re-measuring on priority and plan
changes, reopening, the first response, and the periodic check with warnings and escalation, each once."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from helpline.catalog.models import Priority, State, TicketStatus
from helpline.people.actors import SLA_JOB
from helpline.sla.models import EscalationStep, Schedule, ScheduleSpan, SLAPlan, SLATarget
from helpline.testsupport.factories import TeamFactory
from helpline.tickets.actions import (
    Routing,
    auto_close_resolved,
    check_sla_targets,
    open_ticket,
    post_message,
    post_reply,
    remeasure_sla,
    reopen_ticket,
    set_priority,
    set_sla_plan,
    set_status,
)
from helpline.tickets.models import Event, SLAEscalation, Ticket
from helpline.tickets.queries import sla_checks_due

# Monday 2 March 2026, 09:00 UTC; the office schedule runs Monday to Friday, 09:00 to 17:00 UTC.
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def office(db):
    schedule = Schedule.objects.create(name="Office", time_zone="UTC")
    for weekday in range(5):
        ScheduleSpan.objects.create(schedule=schedule, weekday=weekday, start=time(9), end=time(17))
    return SLAPlan.objects.create(
        name="Office hours",
        schedule=schedule,
        first_response_target=timedelta(hours=2),
        resolution_target=timedelta(hours=8),
        warn_percent=75,
    )


def opened(sam, rita, support, plan, moment, priority=None) -> Ticket:
    with at(moment):
        return open_ticket(
            actor=sam,
            requester=rita,
            subject="Printer",
            body="It jams.",
            routing=Routing(department=support, sla_plan=plan, priority=priority),
        )


def status(state: str) -> TicketStatus:
    return TicketStatus.default_for(state)


def test_due_times_count_business_hours_only(sam, rita, support, office):
    ticket = opened(sam, rita, support, office, datetime(2026, 3, 6, 16, 0, tzinfo=UTC))  # a Friday, 16:00
    # 1 h on Friday, the rest on Monday: first response by 10:00, resolution (8 h) by 16:00.
    assert ticket.first_response_due_at == datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    assert ticket.due_at == datetime(2026, 3, 9, 16, 0, tzinfo=UTC)
    assert ticket.sla_warn_at == datetime(2026, 3, 9, 14, 0, tzinfo=UTC)  # 75 % of 8 h = 6 h in
    assert ticket.first_response_warn_at == datetime(2026, 3, 9, 9, 30, tzinfo=UTC)  # 75 % of 2 h
    assert ticket.next_sla_check_at == ticket.first_response_warn_at


def test_a_pause_stops_the_clock_and_resuming_counts_on(sam, rita, support, office):
    ticket = opened(sam, rita, support, office, MONDAY)
    with at(MONDAY + timedelta(hours=3)):  # 12:00: 3 h used, 5 h left
        set_status(actor=sam, ticket=ticket, status=status(State.PENDING))
    ticket.refresh_from_db()
    assert (ticket.due_at, ticket.next_sla_check_at, ticket.sla_consumed) == (None, None, timedelta(hours=3))
    with at(datetime(2026, 3, 4, 16, 0, tzinfo=UTC)):  # Wednesday 16:00: the requester answers
        post_message(actor=rita, ticket=ticket, body="Here it is.")
    ticket.refresh_from_db()
    assert ticket.state == State.OPEN
    assert ticket.due_at == datetime(2026, 3, 5, 13, 0, tzinfo=UTC)  # 1 h on Wednesday, 4 h on Thursday


def test_a_plan_that_does_not_pause_keeps_counting(sam, rita, support, office):
    office.pause_when_pending = False
    office.save()
    ticket = opened(sam, rita, support, office, MONDAY)
    due = ticket.due_at
    with at(MONDAY + timedelta(hours=1)):
        set_status(actor=sam, ticket=ticket, status=status(State.PENDING))
    ticket.refresh_from_db()
    assert ticket.due_at == due and ticket.sla_running_since == MONDAY


def test_a_priority_with_its_own_targets_remeasures_the_ticket(sam, rita, support, office):
    emergency = Priority.objects.get(name="Emergency")
    SLATarget.objects.create(
        plan=office, priority=emergency, first_response=timedelta(minutes=15), resolution=timedelta(hours=2)
    )
    ticket = opened(sam, rita, support, office, MONDAY)
    with at(MONDAY + timedelta(hours=1)):
        set_priority(actor=sam, ticket=ticket, priority=emergency)
    ticket.refresh_from_db()
    # The hour used counts against the new targets: the first response is already late, resolution due at 11.
    assert ticket.first_response_due_at == MONDAY + timedelta(minutes=15)
    assert ticket.due_at == MONDAY + timedelta(hours=2)


def test_a_new_plan_after_a_reopening_counts_from_the_reopening(sam, rita, support, office):
    """The case the issue names: reopened after 48 hours and given a longer plan, the ticket is not due
    40 hours in the past: its new period began at the reopening."""
    short = SLAPlan.objects.create(name="Four hours", resolution_target=timedelta(hours=4))
    ticket = opened(sam, rita, support, short, MONDAY)
    with at(MONDAY + timedelta(hours=1)):
        set_status(actor=sam, ticket=ticket, status=status(State.RESOLVED))
    reopened_at = MONDAY + timedelta(hours=48)
    with at(reopened_at):
        reopen_ticket(actor=rita, ticket=ticket)
    with at(reopened_at + timedelta(minutes=30)):
        set_sla_plan(actor=sam, ticket=ticket, sla_plan=office)
    ticket.refresh_from_db()
    assert ticket.due_at == reopened_at + timedelta(hours=8)  # Wednesday 09:00 + 8 business hours
    assert not ticket.is_overdue


def test_the_first_response_meets_its_target(sam, rita, support, office):
    ticket = opened(sam, rita, support, office, MONDAY)
    with at(MONDAY + timedelta(minutes=40)):
        post_reply(actor=sam, ticket=ticket, body="On it.")
    ticket.refresh_from_db()
    assert ticket.first_response_due_at is None and ticket.first_response_warn_at is None
    assert ticket.next_sla_check_at == ticket.sla_warn_at
    with at(MONDAY + timedelta(hours=3)):
        assert check_sla_targets(ticket_id=ticket.pk) is False  # nothing was due: no first-response breach


def test_the_check_warns_and_flags_each_moment_once(sam, rita, support, office):
    ticket = opened(sam, rita, support, office, MONDAY)
    assert list(sla_checks_due(MONDAY + timedelta(minutes=29))) == []
    moments = {
        MONDAY + timedelta(hours=1, minutes=31): [
            Event.SLA_WARNING
        ],  # the first response's warning (1 h 30 min)
        MONDAY + timedelta(hours=2, minutes=1): [Event.OVERDUE],  # the first response missed
        MONDAY + timedelta(hours=6, minutes=1): [Event.SLA_WARNING],  # resolution near
        MONDAY + timedelta(hours=8, minutes=1): [Event.OVERDUE],  # resolution missed
    }
    seen = []
    for moment, expected in moments.items():
        with at(moment):
            assert list(sla_checks_due(moment)) == [ticket.pk]
            assert check_sla_targets(ticket_id=ticket.pk) is True
            assert check_sla_targets(ticket_id=ticket.pk) is False  # again: nothing more
        events = list(
            ticket.entries.filter(event__in=[Event.SLA_WARNING, Event.OVERDUE]).values_list(
                "event", flat=True
            )
        )
        seen += expected
        assert events == seen
    ticket.refresh_from_db()
    assert (ticket.is_overdue, ticket.first_response_overdue, ticket.next_sla_check_at) == (True, True, None)
    assert {e.data["target"] for e in ticket.entries.filter(event=Event.OVERDUE)} == {
        "first_response",
        "resolution",
    }
    assert all(e.author_name == SLA_JOB.name for e in ticket.entries.filter(event=Event.OVERDUE))


def test_escalation_steps_apply_once_in_the_plans_name(sam, ivan, rita, support, office, it_department):
    network = TeamFactory(name="Network")
    EscalationStep.objects.create(
        plan=office, target="resolution", trigger="warning", action="raise_priority"
    )
    EscalationStep.objects.create(
        plan=office, target="resolution", trigger="breach", action="assign_team", team=network
    )
    EscalationStep.objects.create(
        plan=office, target="resolution", trigger="breach", action="transfer", department=it_department
    )
    ticket = opened(sam, rita, support, office, MONDAY)
    for moment in (MONDAY + timedelta(hours=6, minutes=1), MONDAY + timedelta(hours=8, minutes=1)):
        with at(moment):
            check_sla_targets(ticket_id=ticket.pk)
            check_sla_targets(ticket_id=ticket.pk)
    ticket.refresh_from_db()
    assert (ticket.priority.name, ticket.team, ticket.department) == ("High", network, it_department)
    changes = ticket.entries.filter(event__in=[Event.PRIORITY, Event.ASSIGNED, Event.TRANSFERRED])
    assert changes.count() == 3 and {e.author_name for e in changes} == {"SLA plan Office hours"}
    assert SLAEscalation.objects.filter(ticket=ticket).count() == 3
    # A reopening is a new period: its steps may apply again.
    with at(MONDAY + timedelta(hours=9)):
        set_status(actor=ivan, ticket=Ticket.objects.get(pk=ticket.pk), status=status(State.RESOLVED))
        reopen_ticket(actor=rita, ticket=Ticket.objects.get(pk=ticket.pk))
    assert not SLAEscalation.objects.filter(ticket=ticket).exists()


def test_resolved_tickets_close_after_the_quiet_days(sam, rita, support, office, settings):
    settings.HELPLINE_AUTO_CLOSE_DAYS = 3
    quiet, answered = (opened(sam, rita, support, office, MONDAY) for _ in range(2))
    with at(MONDAY + timedelta(hours=1)):
        for ticket in (quiet, answered):
            set_status(actor=sam, ticket=ticket, status=status(State.RESOLVED))
    with at(MONDAY + timedelta(days=2)):
        post_message(actor=rita, ticket=answered, body="Still broken.")  # reopens it
        assert auto_close_resolved() == 0
    with at(MONDAY + timedelta(days=3, hours=2)):
        assert auto_close_resolved() == 1
    quiet.refresh_from_db()
    answered.refresh_from_db()
    assert (quiet.state, answered.state) == (State.CLOSED, State.OPEN)
    assert quiet.entries.filter(event=Event.STATUS).last().author_name == "Auto-close"
    settings.HELPLINE_AUTO_CLOSE_DAYS = 0
    assert auto_close_resolved() == 0


def test_recounting_a_plan_goes_through_every_unfinished_ticket_in_batches(
    sam, rita, support, office, monkeypatch
):
    monkeypatch.setattr("helpline.tickets.actions.sla.REMEASURE_BATCH", 2)
    tickets = [opened(sam, rita, support, office, MONDAY) for _ in range(5)]
    with at(MONDAY + timedelta(hours=1)):
        set_status(actor=sam, ticket=tickets[0], status=status(State.CLOSED))
    SLAPlan.objects.filter(pk=office.pk).update(resolution_target=timedelta(hours=4))
    with at(MONDAY + timedelta(hours=2)):
        assert remeasure_sla(plan_ids=[office.pk]) == 4
    dues = dict(Ticket.objects.values_list("pk", "due_at"))
    assert [dues[t.pk] for t in tickets] == [MONDAY + timedelta(hours=8)] + [MONDAY + timedelta(hours=4)] * 4


def test_the_assignee_is_told_when_a_target_nears_and_the_manager_too_when_it_is_missed(
    sam, mia, rita, support, office, django_capture_on_commit_callbacks, mailoutbox
):
    support.manager = mia
    support.save()
    with at(MONDAY):
        ticket = open_ticket(
            actor=sam,
            requester=rita,
            subject="Printer",
            body="It jams.",
            routing=Routing(department=support, sla_plan=office, assignee=sam),
        )
    mailoutbox.clear()
    for minutes in (91, 121):  # the first response's warning (1 h 30 min in), then its target (2 h)
        with at(MONDAY + timedelta(minutes=minutes)), django_capture_on_commit_callbacks(execute=True):
            check_sla_targets(ticket_id=ticket.pk)
    token = f"[#{ticket.number}] Printer"
    assert [(mail.to, mail.subject) for mail in mailoutbox] == [
        (["sam@staff.example.test"], f"Due soon: {token}"),
        (["sam@staff.example.test"], f"Overdue: {token}"),
        (["mia@staff.example.test"], f"Overdue: {token}"),
    ]
    warning, missed, _ = (mail.body for mail in mailoutbox)
    assert "needs a first response by 2 Mar 2026, 11:00 UTC." in warning
    assert "needed a first response by 2 Mar 2026, 11:00 UTC and has none yet." in missed
