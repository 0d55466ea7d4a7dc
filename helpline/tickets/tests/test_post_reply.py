"""post_reply and add_note: what agents write on a ticket."""

from datetime import timedelta

import pytest
import time_machine

from helpline.catalog.models import State
from helpline.tickets.actions import add_note, post_reply
from helpline.tickets.models import EntryKind, Event
from helpline.tickets.policy import NotAllowed
from helpline.tickets.queries import thread_for
from helpline.tickets.tests.helpers import T0, events, last_event, snapshot, status_moved


@pytest.fixture
def opened(open_for, rita, support_topic):
    with time_machine.travel(T0, tick=False):
        return open_for(rita, support_topic)


def test_the_first_reply_sets_first_and_last_response_times(opened, sam):
    at = T0 + timedelta(minutes=20)
    with time_machine.travel(at, tick=False):
        entry = post_reply(actor=sam, ticket=opened, body="Unplug it.")
    opened.refresh_from_db()
    assert (entry.kind, entry.author_agent, entry.author_name) == (EntryKind.RESPONSE, sam, "Sam")
    assert opened.first_response_at == opened.last_response_at == opened.updated_at == at
    assert opened.state == State.OPEN


def test_later_replies_move_only_the_last_response_time(opened, sam, lena):
    first, second = T0 + timedelta(minutes=20), T0 + timedelta(hours=3)
    with time_machine.travel(first, tick=False):
        post_reply(actor=sam, ticket=opened, body="Unplug it.")
    with time_machine.travel(second, tick=False):
        post_reply(actor=lena, ticket=opened, body="Did it help?")
    opened.refresh_from_db()
    assert opened.first_response_at == first
    assert opened.last_response_at == second


def test_a_reply_can_set_the_ticket_pending_in_the_same_step(opened, sam, status):
    post_reply(actor=sam, ticket=opened, body="Which model is it?", status=status("pending"))
    opened.refresh_from_db()
    assert opened.state == State.PENDING
    assert events(opened) == [Event.CREATED, Event.STATUS]
    assert last_event(opened).data == status_moved(status("open"), status("pending"))


def test_a_reply_can_resolve_the_ticket(opened, sam, status):
    at = T0 + timedelta(hours=1)
    with time_machine.travel(at, tick=False):
        post_reply(actor=sam, ticket=opened, body="Fixed.", status=status("resolved"))
    opened.refresh_from_db()
    assert opened.state == State.RESOLVED and opened.resolved_at == at


def test_a_reply_with_the_current_status_records_no_status_event(opened, sam, status):
    post_reply(actor=sam, ticket=opened, body="Looking.", status=status("open"))
    assert events(opened) == [Event.CREATED]


def test_a_limited_agent_replies_but_cannot_resolve_with_the_reply(opened, lena, status):
    post_reply(actor=lena, ticket=opened, body="Looking into it.")
    before = snapshot(opened)
    with pytest.raises(NotAllowed):
        post_reply(actor=lena, ticket=opened, body="Done.", status=status("resolved"))
    assert snapshot(opened) == before  # not even the response was kept


def test_a_requester_cannot_post_an_agent_response(opened, rita):
    before = snapshot(opened)
    with pytest.raises(NotAllowed):
        post_reply(actor=rita, ticket=opened, body="I answer myself")
    assert snapshot(opened) == before


def test_a_note_is_kept_from_the_requester(opened, sam, rita):
    note = add_note(actor=sam, ticket=opened, body="<b>Customer</b> is VIP", body_format="html")
    assert (note.kind, note.author_agent, note.is_public) == (EntryKind.NOTE, sam, False)
    assert note.body_html == "<b>Customer</b> is VIP" and note.body_text == "Customer is VIP"
    assert note in thread_for(sam, opened)
    assert note not in thread_for(rita, opened)
    opened.refresh_from_db()
    assert opened.first_response_at is None  # a note is not a response


def test_a_limited_agent_may_add_notes(opened, lena):
    assert add_note(actor=lena, ticket=opened, body="Seen.").author_agent == lena


def test_requesters_cannot_add_notes(opened, rita):
    before = snapshot(opened)
    with pytest.raises(NotAllowed):
        add_note(actor=rita, ticket=opened, body="sneaky")
    assert snapshot(opened) == before
