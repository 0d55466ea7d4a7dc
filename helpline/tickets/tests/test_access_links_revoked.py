"""revoke_access_links: every link sent so far stops opening the ticket, the next emails carry working ones,
and only an agent who may edit the ticket can do it."""

from datetime import timedelta

import pytest
import time_machine

from helpline.catalog.models import Priority
from helpline.tickets.access import access_token, resolve_token
from helpline.tickets.actions import merge_tickets, post_reply, revoke_access_links, set_priority
from helpline.tickets.models import Event
from helpline.tickets.policy import NotAllowed
from helpline.tickets.tests.helpers import T0, last_event, link_in, snapshot


@pytest.fixture
def opened(open_for, rita, carl, support_topic, sam):
    with time_machine.travel(T0, tick=False):
        return open_for(rita, support_topic, collaborators=[carl])


def test_the_links_sent_so_far_stop_working_and_the_next_emails_carry_new_ones(
    opened, sam, rita, carl, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=opened, body="Unplug it.")
    sent = {mail.to[0]: link_in(mail.body) for mail in mailoutbox}
    assert resolve_token(sent["rita@example.test"]) == (opened, rita)

    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        revoked = revoke_access_links(actor=sam, ticket=opened)
    assert [resolve_token(token) for token in sent.values()] == [None, None]

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=revoked, body="Plug it back in.")
    fresh = {mail.to[0]: link_in(mail.body) for mail in mailoutbox}
    assert sorted(fresh) == ["carl@example.test", "rita@example.test"]
    assert resolve_token(fresh["rita@example.test"]) == (opened, rita)
    assert resolve_token(fresh["carl@example.test"]) == (opened, carl)


def test_it_is_on_the_record_and_moves_the_version(opened, sam):
    version = opened.version
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        revoke_access_links(actor=sam, ticket=opened)
    event = last_event(opened)
    assert (event.event, event.author_agent, event.data) == (Event.LINKS_REVOKED, sam, {})
    opened.refresh_from_db()
    assert (opened.version, opened.updated_at) == (version + 1, T0 + timedelta(hours=1))


def test_a_change_made_on_a_page_loaded_before_is_not_refused(opened, sam):
    seen = last_event(opened).pk
    revoke_access_links(actor=sam, ticket=opened)
    high = Priority.objects.exclude(pk=opened.priority_id).first()
    set_priority(actor=sam, ticket=opened, priority=high, expected_version=opened.version, seen_entry_id=seen)
    opened.refresh_from_db()
    assert opened.priority == high


@pytest.mark.parametrize("who", ["ivan", "lena", "rita", "carl"])
def test_refusals_change_nothing(opened, who, request):
    """Ivan works in IT, Lena's Limited role has no edit permission, requesters never edit."""
    token = access_token(opened, opened.requester)
    before = snapshot(opened)
    with pytest.raises(NotAllowed):
        revoke_access_links(actor=request.getfixturevalue(who), ticket=opened)
    assert snapshot(opened) == before
    assert resolve_token(token) is not None


def test_an_administrator_may_revoke(opened, ada):
    token = access_token(opened, opened.requester)
    revoke_access_links(actor=ada, ticket=opened)
    assert resolve_token(token) is None


def test_the_links_of_a_ticket_merged_into_it_stop_working_too(open_for, rita, support_topic, sam, opened):
    earlier = open_for(rita, support_topic, subject="The printer again")
    merged_link = access_token(earlier, rita)
    merge_tickets(actor=sam, source=earlier, target=opened)
    assert resolve_token(merged_link) == (opened, rita)  # it leads on to the ticket merged into
    revoke_access_links(actor=sam, ticket=opened)
    assert resolve_token(merged_link) is None
