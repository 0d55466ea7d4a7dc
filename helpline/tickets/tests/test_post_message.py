"""post_message: requesters and collaborators writing on their ticket."""

from datetime import timedelta

import pytest
import time_machine

from helpline.catalog.models import State
from helpline.people.actors import mail_intake
from helpline.tickets.actions import post_message, set_status, transfer_ticket
from helpline.tickets.models import EntryKind, Event
from helpline.tickets.policy import NotAllowed
from helpline.tickets.tests.helpers import T0, events, last_event, snapshot, status_moved


@pytest.fixture
def intake(support):
    """The email intake of Support's mailbox."""
    return mail_intake(mailbox_id=1, mailbox_name="support@example.test", department_id=support.pk)


@pytest.fixture
def opened(open_for, rita, carl, support_topic):
    with time_machine.travel(T0, tick=False):
        return open_for(rita, support_topic, collaborators=[carl])


def test_a_message_is_added_and_moves_last_message_at(opened, rita):
    later = T0 + timedelta(minutes=30)
    with time_machine.travel(later, tick=False):
        entry = post_message(actor=rita, ticket=opened, body="Still burning.\r\n")
    opened.refresh_from_db()
    assert (entry.kind, entry.author_requester, entry.author_name) == (
        EntryKind.MESSAGE,
        rita,
        "Rita Requester",
    )
    assert entry.body_text == "Still burning."
    assert opened.last_message_at == opened.updated_at == later
    assert opened.state == State.OPEN and opened.reopen_count == 0
    assert events(opened) == [Event.CREATED]


def test_a_collaborator_may_post_a_message(opened, carl):
    entry = post_message(actor=carl, ticket=opened, body="Mine too.")
    assert entry.author_requester == carl


def test_a_message_puts_a_pending_ticket_back_to_open(opened, rita, sam, status):
    set_status(actor=sam, ticket=opened, status=status("pending"))
    post_message(actor=rita, ticket=opened, body="Here is the info you asked for.")
    opened.refresh_from_db()
    assert opened.state == State.OPEN and opened.status == status("open")
    assert opened.reopen_count == 0
    assert last_event(opened).data == status_moved(status("pending"), status("open"))


@pytest.mark.parametrize("finished", ["resolved", "closed"])
def test_a_message_reopens_a_finished_ticket_and_restarts_the_clock(opened, rita, sam, status, finished):
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        set_status(actor=sam, ticket=opened, status=status(finished))
    reopened_at = T0 + timedelta(days=2)
    with time_machine.travel(reopened_at, tick=False):
        post_message(actor=rita, ticket=opened, body="It is back.")
    opened.refresh_from_db()
    assert opened.state == State.OPEN and opened.reopen_count == 1
    assert opened.resolved_at is None and opened.closed_at is None
    assert opened.due_at == reopened_at + timedelta(hours=4)
    reopened = last_event(opened)
    assert reopened.event == Event.REOPENED
    assert reopened.data == status_moved(status(finished), status("open"))
    assert reopened.author_requester == rita


def test_the_email_intake_posts_for_the_requester(opened, rita, intake):
    entry = post_message(actor=intake, ticket=opened, body="By mail", author=rita)
    assert entry.author_requester == rita and entry.author_name == "Rita Requester"


def test_the_email_intake_posts_a_participants_message_wherever_the_ticket_went(
    opened, carl, intake, ada, it_department
):
    transfer_ticket(actor=ada, ticket=opened, department=it_department)
    entry = post_message(actor=intake, ticket=opened, body="Any news?", author=carl)
    assert entry.author_requester == carl


def test_an_agent_may_enter_a_message_on_behalf_of_the_requester(opened, sam, rita):
    entry = post_message(actor=sam, ticket=opened, body="She called: still burning.", author=rita)
    assert entry.kind == EntryKind.MESSAGE and entry.author_requester == rita


def test_messages_come_from_requesters_only(opened, sam):
    before = snapshot(opened)
    with pytest.raises(NotAllowed):
        post_message(actor=sam, ticket=opened, body="I am not a requester")
    assert snapshot(opened) == before


def test_the_author_must_be_on_the_ticket(opened, olga, intake):
    before = snapshot(opened)
    with pytest.raises(NotAllowed):
        post_message(actor=intake, ticket=opened, body="Spoofed", author=olga)
    assert snapshot(opened) == before


def test_a_requester_may_not_post_in_another_participants_name(opened, rita, carl):
    before = snapshot(opened)
    with pytest.raises(NotAllowed):
        post_message(actor=carl, ticket=opened, body="Signed, Rita", author=rita)
    assert snapshot(opened) == before
