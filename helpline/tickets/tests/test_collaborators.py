"""add_collaborator and remove_collaborator: copying requesters on a ticket, and what that gives them."""

from datetime import timedelta

import pytest
import time_machine

from helpline.tickets.access import resolve_token
from helpline.tickets.actions import add_collaborator, post_reply, remove_collaborator
from helpline.tickets.models import Collaborator, Event
from helpline.tickets.policy import NotAllowed, can
from helpline.tickets.tests.helpers import T0, assign_from_elsewhere, events, last_event, link_in, snapshot


@pytest.fixture
def opened(open_for, rita, support_topic, sam):
    with time_machine.travel(T0, tick=False):
        return open_for(rita, support_topic)


def copied(ticket) -> list[str]:
    return sorted(Collaborator.objects.filter(ticket=ticket).values_list("requester__email", flat=True))


def test_an_agent_adds_a_collaborator(opened, sam, carl):
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        assert add_collaborator(actor=sam, ticket=opened, person=carl) == (carl, True)
    assert copied(opened) == ["carl@example.test"]
    event = last_event(opened)
    assert (event.event, event.author_agent, event.author_name) == (Event.COLLABORATOR, sam, "Sam")
    assert event.data == {
        "requester": {"id": carl.pk, "name": "Carl Colleague", "email": "carl@example.test"}
    }
    opened.refresh_from_db()
    assert opened.updated_at == T0 + timedelta(hours=1)


def test_an_agent_removes_a_collaborator(opened, sam, carl):
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        add_collaborator(actor=sam, ticket=opened, person=carl)
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        assert remove_collaborator(actor=sam, ticket=opened, requester=carl) is True
    assert copied(opened) == []
    event = last_event(opened)
    assert (event.event, event.data) == (
        Event.COLLABORATOR_REMOVED,
        {"requester": {"id": carl.pk, "name": "Carl Colleague", "email": "carl@example.test"}},
    )
    opened.refresh_from_db()
    assert opened.updated_at == T0 + timedelta(hours=2)


def test_an_administrator_may_add_and_remove(opened, ada, carl):
    add_collaborator(actor=ada, ticket=opened, person=carl)
    remove_collaborator(actor=ada, ticket=opened, requester=carl)
    assert events(opened)[-2:] == [Event.COLLABORATOR, Event.COLLABORATOR_REMOVED]


def test_adding_an_existing_collaborator_changes_nothing(opened, sam, carl):
    add_collaborator(actor=sam, ticket=opened, person=carl)
    before = snapshot(opened)
    assert add_collaborator(actor=sam, ticket=opened, person=carl) == (carl, False)
    assert snapshot(opened) == before


def test_removing_someone_who_is_not_copied_changes_nothing(opened, sam, olga):
    before = snapshot(opened)
    assert remove_collaborator(actor=sam, ticket=opened, requester=olga) is False
    assert snapshot(opened) == before


def test_the_requester_cannot_be_their_own_collaborator(opened, sam, rita):
    before = snapshot(opened)
    with pytest.raises(ValueError, match="Rita Requester is the requester of this ticket"):
        add_collaborator(actor=sam, ticket=opened, person=rita)
    assert snapshot(opened) == before


@pytest.mark.parametrize("who", ["ivan", "lena", "rita", "carl"])
def test_refusals_change_nothing(opened, sam, carl, olga, who, request):
    """Ivan works in IT, Lena's Limited role has no edit permission, requesters never edit."""
    add_collaborator(actor=sam, ticket=opened, person=carl)
    actor = request.getfixturevalue(who)
    before = snapshot(opened)
    with pytest.raises(NotAllowed):
        add_collaborator(actor=actor, ticket=opened, person=olga)
    with pytest.raises(NotAllowed):
        remove_collaborator(actor=actor, ticket=opened, requester=carl)
    assert snapshot(opened) == before


def test_an_assignee_outside_the_department_may_not_edit_the_collaborators(opened, ada, ivan, carl):
    # Assignment grants view, reply, note, status and close: not edit.
    assign_from_elsewhere(opened, ivan, by=ada)
    with pytest.raises(NotAllowed):
        add_collaborator(actor=ivan, ticket=opened, person=carl)


def test_the_requester_as_collaborator_is_refused_only_after_the_permission(opened, ivan, rita):
    with pytest.raises(NotAllowed):
        add_collaborator(actor=ivan, ticket=opened, person=rita)


def test_a_collaborator_may_see_and_reply_until_removed(opened, sam, carl):
    add_collaborator(actor=sam, ticket=opened, person=carl)
    assert can(carl, "view", opened) and can(carl, "reply", opened) and not can(carl, "close", opened)
    remove_collaborator(actor=sam, ticket=opened, requester=carl)
    assert not can(carl, "view", opened)


def test_a_new_collaborator_gets_the_next_response_with_their_own_link(
    opened, sam, carl, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_collaborator(actor=sam, ticket=opened, person=carl)
    assert mailoutbox == []  # being copied is announced by the next response, not by an email of its own
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=opened, body="Unplug it.")
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(by_address) == ["carl@example.test", "rita@example.test"]
    assert resolve_token(link_in(by_address["carl@example.test"].body)) == (opened, carl)
    assert resolve_token(link_in(by_address["rita@example.test"].body)) == (opened, opened.requester)


def test_a_removed_collaborator_hears_nothing_more_and_their_link_stops_working(
    opened, sam, carl, mailoutbox, django_capture_on_commit_callbacks
):
    add_collaborator(actor=sam, ticket=opened, person=carl)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=opened, body="First.")
    [carls] = [mail for mail in mailoutbox if mail.to == ["carl@example.test"]]
    remove_collaborator(actor=sam, ticket=opened, requester=carl)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=opened, body="Second.")
    assert [mail.to for mail in mailoutbox] == [["rita@example.test"]]
    assert resolve_token(link_in(carls.body)) is None
