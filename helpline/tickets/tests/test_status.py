"""set_status, reopen_ticket, check_sla_targets and the periodic overdue job."""

from datetime import timedelta

import pytest
import time_machine

from helpline.catalog.models import State
from helpline.people.actors import SLA_JOB
from helpline.tickets.actions import assign_ticket, check_sla_targets, reopen_ticket, set_status
from helpline.tickets.models import Event
from helpline.tickets.policy import NotAllowed
from helpline.tickets.tasks import check_sla
from helpline.tickets.tests.helpers import T0, events, last_event, snapshot, status_moved


@pytest.fixture
def opened(open_for, rita, support_topic):
    with time_machine.travel(T0, tick=False):
        return open_for(rita, support_topic)


def at(hours: float):
    return time_machine.travel(T0 + timedelta(hours=hours), tick=False)


def test_setting_pending_records_the_change(opened, sam, status):
    changed = set_status(actor=sam, ticket=opened, status=status("pending"))
    opened.refresh_from_db()
    assert opened.state == State.PENDING == changed.state
    assert opened.resolved_at is None and opened.closed_at is None
    event = last_event(opened)
    assert (event.event, event.author_agent) == (Event.STATUS, sam)
    assert event.data == status_moved(status("open"), status("pending"))


def test_resolving_stamps_resolved_at(opened, sam, status):
    with at(2):
        set_status(actor=sam, ticket=opened, status=status("resolved"))
    opened.refresh_from_db()
    assert opened.state == State.RESOLVED
    assert opened.resolved_at == T0 + timedelta(hours=2) and opened.closed_at is None


def test_closing_stamps_closed_at_and_resolved_at(opened, sam, status):
    with at(3):
        set_status(actor=sam, ticket=opened, status=status("closed"))
    opened.refresh_from_db()
    assert opened.state == State.CLOSED
    assert opened.closed_at == opened.resolved_at == T0 + timedelta(hours=3)


def test_closing_a_resolved_ticket_keeps_when_it_was_resolved(opened, sam, status):
    with at(2):
        set_status(actor=sam, ticket=opened, status=status("resolved"))
    with at(30):
        set_status(actor=sam, ticket=opened, status=status("closed"))
    opened.refresh_from_db()
    assert opened.resolved_at == T0 + timedelta(hours=2)
    assert opened.closed_at == T0 + timedelta(hours=30)
    assert opened.reopen_count == 0


def test_moving_a_closed_ticket_back_to_resolved_clears_closed_at(opened, sam, status):
    with at(2):
        set_status(actor=sam, ticket=opened, status=status("closed"))
    with at(5):
        set_status(actor=sam, ticket=opened, status=status("resolved"))
    opened.refresh_from_db()
    assert opened.state == State.RESOLVED and opened.closed_at is None
    assert opened.resolved_at == T0 + timedelta(hours=5)


def test_setting_the_current_status_changes_nothing(opened, sam, status):
    before = snapshot(opened)
    set_status(actor=sam, ticket=opened, status=status("open"))
    assert snapshot(opened) == before


def test_the_requester_may_close_their_ticket(opened, rita, status):
    set_status(actor=rita, ticket=opened, status=status("closed"))
    opened.refresh_from_db()
    assert opened.state == State.CLOSED
    assert last_event(opened).author_requester == rita


@pytest.mark.parametrize("state", ["pending", "resolved"])
def test_the_requester_may_not_set_other_statuses(opened, rita, status, state):
    before = snapshot(opened)
    with pytest.raises(NotAllowed):
        set_status(actor=rita, ticket=opened, status=status(state))
    assert snapshot(opened) == before


# --- reopening -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("finished", ["resolved", "closed"])
def test_reopening_restarts_the_sla_clock(opened, sam, status, finished):
    with at(1):
        set_status(actor=sam, ticket=opened, status=status(finished))
    with at(48):
        reopened = reopen_ticket(actor=sam, ticket=opened)
    opened.refresh_from_db()
    assert opened.state == State.OPEN == reopened.state and opened.status == status("open")
    assert opened.reopen_count == 1
    assert opened.resolved_at is None and opened.closed_at is None
    assert opened.due_at == T0 + timedelta(hours=48 + 4)
    assert last_event(opened).event == Event.REOPENED
    assert last_event(opened).data == status_moved(status(finished), status("open"))


def test_reopening_clears_the_overdue_flag_and_counts_each_time(opened, sam, rita, status):
    with at(5):
        assert check_sla_targets(ticket_id=opened.pk)
        set_status(actor=sam, ticket=opened, status=status("closed"))
        reopen_ticket(actor=rita, ticket=opened)
        set_status(actor=rita, ticket=opened, status=status("closed"))
        reopen_ticket(actor=rita, ticket=opened)
    opened.refresh_from_db()
    assert opened.reopen_count == 2 and not opened.is_overdue
    assert events(opened).count(Event.REOPENED) == 2


def test_setting_an_open_status_on_a_closed_ticket_is_a_reopen(opened, sam, status):
    set_status(actor=sam, ticket=opened, status=status("closed"))
    set_status(actor=sam, ticket=opened, status=status("pending"))
    opened.refresh_from_db()
    assert opened.state == State.PENDING and opened.reopen_count == 1
    assert last_event(opened).event == Event.REOPENED


def test_only_finished_tickets_can_be_reopened(opened, sam):
    before = snapshot(opened)
    with pytest.raises(NotAllowed):
        reopen_ticket(actor=sam, ticket=opened)
    assert snapshot(opened) == before


# --- overdue -------------------------------------------------------------------------------------------------


def test_an_open_ticket_past_due_is_flagged_once(opened):
    with at(4):
        assert not check_sla_targets(ticket_id=opened.pk)  # due, not yet past due
    with at(4.5):
        assert check_sla_targets(ticket_id=opened.pk)
        assert not check_sla_targets(ticket_id=opened.pk)
    opened.refresh_from_db()
    assert opened.is_overdue
    assert events(opened) == [Event.CREATED, Event.OVERDUE]
    event = last_event(opened)
    assert event.author_name == SLA_JOB.name and event.author_agent is None
    assert event.data == {"due_at": "2025-03-03T13:00:00Z", "target": "resolution"}


@pytest.mark.parametrize("state", ["pending", "resolved", "closed"])
def test_only_open_tickets_become_overdue(opened, sam, status, state):
    set_status(actor=sam, ticket=opened, status=status(state))
    with at(100):
        assert not check_sla_targets(ticket_id=opened.pk)
    opened.refresh_from_db()
    assert not opened.is_overdue


def test_the_overdue_alert_goes_to_the_assignee(
    opened, sam, ada, django_capture_on_commit_callbacks, mailoutbox
):
    assign_ticket(actor=ada, ticket=opened, agent=sam)
    mailoutbox.clear()
    with at(5), django_capture_on_commit_callbacks(execute=True):
        check_sla_targets(ticket_id=opened.pk)
    assert [(mail.to, mail.subject) for mail in mailoutbox] == [
        (["sam@staff.example.test"], f"Overdue: [#{opened.number}] Printer on fire")
    ]


def test_the_periodic_job_flags_every_overdue_open_ticket_once(
    open_for, rita, support_topic, it_topic, sam, status
):
    with time_machine.travel(T0, tick=False):
        late = [open_for(rita, support_topic) for _ in range(2)]
        no_sla = open_for(rita, it_topic)
        waiting = open_for(rita, support_topic)
        set_status(actor=sam, ticket=waiting, status=status("pending"))
    with at(3):
        fresh = open_for(rita, support_topic)
    with at(5):
        assert check_sla.call_local() == 2
        assert check_sla.call_local() == 0
    flagged = {t.pk for t in (*late, no_sla, waiting, fresh) if type(t).objects.get(pk=t.pk).is_overdue}
    assert flagged == {t.pk for t in late}


def test_the_sla_clock_stops_while_pending(opened, sam, rita, status):
    from helpline.tickets.actions import post_message

    due = opened.due_at  # opened at T0 under a 4-hour plan
    with at(1):
        set_status(actor=sam, ticket=opened, status=status("pending"))
    with at(30):  # the requester answers a day and more later: the ticket resumes with 3 hours left
        post_message(actor=rita, ticket=opened, body="Here are the details.")
    opened.refresh_from_db()
    assert opened.state == State.OPEN
    assert opened.pending_since is None
    assert opened.due_at == due + timedelta(hours=29)
    assert not opened.is_overdue


def test_a_ticket_already_late_stays_overdue_after_a_pause(opened, sam, status):
    due = opened.due_at
    with at(6):
        check_sla_targets(ticket_id=opened.pk)
        set_status(actor=sam, ticket=opened, status=status("pending"))
    with at(8):
        set_status(actor=sam, ticket=opened, status=status("open"))
    opened.refresh_from_db()
    assert opened.due_at == due + timedelta(hours=2)
    assert opened.is_overdue


def test_resolving_a_pending_ticket_ends_the_pause_and_the_clock(opened, sam, status):
    with at(1):
        set_status(actor=sam, ticket=opened, status=status("pending"))
    opened.refresh_from_db()
    assert opened.due_at is None and opened.sla_consumed == timedelta(hours=1)  # paused: nothing due
    with at(2):
        set_status(actor=sam, ticket=opened, status=status("resolved"))
    opened.refresh_from_db()
    assert opened.pending_since is None and opened.due_at is None and opened.next_sla_check_at is None
    assert opened.sla_consumed == timedelta(hours=1)  # the pause counted for nothing
