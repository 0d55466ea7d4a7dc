"""Followers: agents who hear of a ticket's replies, notes and status changes (kind ``followed_update``),
never of their own changes, and not twice when the same change alerts them already."""

import pytest

from helpline.catalog.models import State, TicketStatus
from helpline.mail.models import OutboundEmail
from helpline.testsupport.factories import TeamFactory
from helpline.tickets.actions import (
    add_note,
    assign_ticket,
    follow_ticket,
    post_message,
    post_reply,
    set_status,
    transfer_ticket,
    unfollow_ticket,
)
from helpline.tickets.policy import NotAllowed


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(action, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    return run


def followed_updates(mailoutbox) -> list[tuple[str, str]]:
    """(recipient, first line) of each followed-ticket email sent."""
    return [
        (mail.to[0], mail.body.splitlines()[0]) for mail in mailoutbox if mail.subject.startswith("Update: ")
    ]


def test_the_hand_off_john_gives_a_team_the_ticket_jane_resolves_it_john_hears(
    ticket, sam, mia, on_commit, mailoutbox
):
    escalations = TeamFactory(name="Escalations")
    escalations.members.add(mia)
    on_commit(assign_ticket, actor=sam, ticket=ticket, team=escalations)
    mailoutbox.clear()
    on_commit(set_status, actor=mia, ticket=ticket, status=TicketStatus.default_for(State.RESOLVED))
    [(to, line)] = followed_updates(mailoutbox)
    assert to == "sam@staff.example.test"
    assert line == f"Mia set the status to Resolved on ticket [#{ticket.number}], which you follow:"
    email = OutboundEmail.objects.get(reason="followed_update")
    assert email.subject == f"Update: [#{ticket.number}] Printer on fire" and "Resolved" in email.body_html


def test_followers_hear_of_replies_notes_and_messages_but_never_of_their_own(
    ticket, sam, mia, rita, on_commit, mailoutbox
):
    follow_ticket(actor=sam, ticket=ticket)
    follow_ticket(actor=mia, ticket=ticket)
    mailoutbox.clear()
    on_commit(add_note, actor=mia, ticket=ticket, body="Toner ordered")
    on_commit(post_reply, actor=sam, ticket=ticket, body="It is on its way")
    on_commit(post_message, actor=rita, ticket=ticket, body="Thanks!")
    assert followed_updates(mailoutbox) == [
        (
            "sam@staff.example.test",
            f"Mia added an internal note on ticket [#{ticket.number}], which you follow:",
        ),
        (
            "mia@staff.example.test",
            f"Sam replied to the requester on ticket [#{ticket.number}], which you follow:",
        ),
        # Nobody has the ticket, so Support's agents (Sam and Mia) hear of the message as a new-message
        # alert already: neither is told again as a follower.
    ]
    assert "Toner ordered" in mailoutbox[0].body


def test_a_followed_assignee_hears_of_a_message_once(ticket, sam, rita, on_commit, mailoutbox):
    on_commit(assign_ticket, actor=sam, ticket=ticket, agent=sam)
    follow_ticket(actor=sam, ticket=ticket)
    mailoutbox.clear()
    on_commit(post_message, actor=rita, ticket=ticket, body="Any news?")
    assert [mail.to for mail in mailoutbox] == [["sam@staff.example.test"]]
    assert mailoutbox[0].subject.startswith("New message")


def test_unfollowing_stops_the_emails(ticket, sam, mia, on_commit, mailoutbox):
    follow_ticket(actor=sam, ticket=ticket)
    assert unfollow_ticket(actor=sam, ticket=ticket) is True
    assert unfollow_ticket(actor=sam, ticket=ticket) is False
    mailoutbox.clear()
    on_commit(add_note, actor=mia, ticket=ticket, body="Quiet now")
    assert followed_updates(mailoutbox) == []


def test_only_agents_who_see_the_ticket_follow_it_and_hear_of_it(
    ticket, sam, ivan, mia, it_department, on_commit, mailoutbox
):
    with pytest.raises(NotAllowed):
        follow_ticket(actor=ivan, ticket=ticket)
    follow_ticket(actor=sam, ticket=ticket)
    on_commit(transfer_ticket, actor=mia, ticket=ticket, department=it_department)  # out of Sam's sight
    mailoutbox.clear()
    on_commit(add_note, actor=ivan, ticket=ticket, body="Ours now")
    assert followed_updates(mailoutbox) == []


def test_following_twice_is_one_follow(ticket, sam):
    assert follow_ticket(actor=sam, ticket=ticket) is True
    assert follow_ticket(actor=sam, ticket=ticket) is False
    assert ticket.followers.count() == 1


def test_a_followed_agent_a_note_mentions_hears_of_it_once(ticket, sam, mia, on_commit, mailoutbox):
    follow_ticket(actor=sam, ticket=ticket)
    mailoutbox.clear()
    on_commit(add_note, actor=mia, ticket=ticket, body="@sam can you look at this one?")
    assert [mail.to for mail in mailoutbox] == [["sam@staff.example.test"]]
    assert followed_updates(mailoutbox) == []  # the mention says it; no "Update:" besides
