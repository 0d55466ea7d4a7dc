"""Several agents on one ticket page: versioned forms, the reply collision warning, the soft lock on
replying, and following."""

from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpline.catalog.models import Priority
from helpline.testsupport.factories import AgentFactory
from helpline.tickets.actions import add_note, assign_ticket, follow_ticket, post_message, set_priority
from helpline.tickets.models import ReplyLock, Ticket
from helpline.tickets.reply_locks import hold_reply_lock


def open_page(client, ticket):
    response = client.get(reverse("staff:ticket", args=[ticket.number]))
    assert response.status_code == 200
    return response


def marker(response, form="assign") -> dict:
    """The version and the newest entry the page's form carries, as it would post them."""
    initial = response.context["forms"][form].initial
    return {"version": initial["version"], "seen": initial["seen"]}


def post(client, name, ticket, data):
    return client.post(reverse(f"staff:{name}", args=[ticket.number]), data)


def test_two_agents_pressing_assign_to_me_at_once_the_second_is_told_who_took_it(
    client_for, sam, mia, ticket
):
    sam_client, mia_client = client_for(sam), client_for(mia)
    sam_page, mia_page = open_page(sam_client, ticket), open_page(mia_client, ticket)
    assert marker(sam_page) == marker(mia_page)
    first = post(sam_client, "assign", ticket, {"me": "1", **marker(sam_page)})
    second = post(mia_client, "assign", ticket, {"me": "1", **marker(mia_page)})
    assert first.status_code == 302
    assert second.status_code == 409
    content = second.content.decode()
    assert "Since you opened this page: Sam took it." in content
    assert Ticket.objects.get(pk=ticket.pk).assignee == sam
    # Shown again with the current values and version: pressing again is a deliberate choice.
    form = second.context["forms"]["assign"]
    assert form["agent"].value() == str(sam.pk)
    assert form["version"].value() == str(Ticket.objects.get(pk=ticket.pk).version)
    again = post(mia_client, "assign", ticket, {"me": "1", **marker(second)})
    assert again.status_code == 302 and Ticket.objects.get(pk=ticket.pk).assignee == mia


def test_a_priority_form_loaded_before_a_change_of_priority_is_refused(sam_client, sam, mia, ticket):
    stale = open_page(sam_client, ticket)
    high, low = Priority.objects.get(name="High"), Priority.objects.get(name="Low")
    set_priority(actor=mia, ticket=ticket, priority=high)
    response = post(sam_client, "priority", ticket, {"priority": low.pk, **marker(stale, "priority")})
    assert response.status_code == 409
    assert "Since you opened this page: Mia set the priority to High." in response.content.decode()
    assert response.context["forms"]["priority"]["priority"].value() == str(high.pk)
    assert Ticket.objects.get(pk=ticket.pk).priority == high


def test_a_note_is_not_refused_after_an_assignment(sam_client, sam, mia, ticket):
    stale = open_page(sam_client, ticket)
    assign_ticket(actor=mia, ticket=ticket, agent=mia)
    response = post(sam_client, "note", ticket, {"body": "Checked the toner", **marker(stale, "note")})
    assert response.status_code == 302
    assert ticket.entries.filter(kind="note", body_text="Checked the toner").exists()


def test_a_reply_after_a_new_message_is_held_back_and_sent_anyway(sam_client, sam, rita, ticket):
    stale = open_page(sam_client, ticket)
    post_message(actor=rita, ticket=ticket, body="Never mind, it works now")
    reply = {"body": "Have you tried turning it off?", **marker(stale, "reply")}
    held = post(sam_client, "reply", ticket, reply)
    assert held.status_code == 409
    content = held.content.decode()
    assert "A new entry arrived while you were writing" in content
    warning = content.split('id="new-entries"')[1].split("</div>")[0]
    assert "Never mind, it works now" in warning and "Rita Requester" in warning
    assert "Have you tried turning it off?</textarea>" in content  # the typed text is kept
    assert ">Send anyway</button>" in content
    assert not ticket.entries.filter(kind="response").exists()
    sent = post(sam_client, "reply", ticket, {"body": reply["body"], **marker(held, "reply")})
    assert sent.status_code == 302
    assert ticket.entries.filter(kind="response", body_text=reply["body"]).exists()


def test_a_reply_after_an_assignment_alone_goes_out_at_once(sam_client, sam, mia, ticket):
    stale = open_page(sam_client, ticket)
    assign_ticket(actor=mia, ticket=ticket, agent=mia)
    sent = post(sam_client, "reply", ticket, {"body": "On it", **marker(stale, "reply")})
    assert sent.status_code == 302 and ticket.entries.filter(kind="response").exists()


def test_the_new_entries_fragment_lists_what_others_wrote_since(sam_client, sam, mia, ticket):
    seen = marker(open_page(sam_client, ticket), "reply")["seen"]
    add_note(actor=sam, ticket=ticket, body="My own note")
    add_note(actor=mia, ticket=ticket, body="Mia's note")
    fragment = sam_client.get(reverse("staff:new_entries", args=[ticket.number, seen])).content.decode()
    assert "Mia&#x27;s note" in fragment and "My own note" not in fragment


def test_the_soft_lock_is_shown_to_others_and_expires(client_for, sam, mia, ticket, settings):
    settings.HELPLINE_REPLY_LOCK_MINUTES = 5
    sam_client, mia_client = client_for(sam), client_for(mia)
    assert post(sam_client, "replying", ticket, {}).status_code == 204  # the page's heartbeat
    others = open_page(mia_client, ticket).content.decode()
    assert "Sam is replying</strong> (since" in others
    own = open_page(sam_client, ticket).content.decode()
    assert "is replying</strong>" not in own and ">Cancel reply</button>" in own
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert "is replying" not in open_page(mia_client, ticket).content.decode()
        # Mia starts a reply without JavaScript: the expired lock is cleaned up and hers taken.
        started = post(mia_client, "replying", ticket, {"open": "1"})
        assert started.status_code == 302 and started["Location"].endswith("#reply")
        assert ReplyLock.objects.get(ticket=ticket).agent == mia


def test_the_soft_lock_is_renewed_and_never_taken_from_its_holder(sam, mia, ticket, settings):
    settings.HELPLINE_REPLY_LOCK_MINUTES = 5
    start = timezone.now()
    hold_reply_lock(agent=sam, ticket=ticket)
    with time_machine.travel(start + timedelta(minutes=4)):
        assert hold_reply_lock(agent=mia, ticket=ticket).agent == sam
        hold_reply_lock(agent=sam, ticket=ticket)  # typing again renews it
    with time_machine.travel(start + timedelta(minutes=8)):
        assert hold_reply_lock(agent=mia, ticket=ticket).agent == sam


def test_cancelling_releases_the_soft_lock(sam_client, sam, ticket):
    post(sam_client, "replying", ticket, {})
    assert post(sam_client, "replying_stop", ticket, {}).status_code == 302
    assert not ReplyLock.objects.filter(ticket=ticket).exists()


def test_follow_and_unfollow_from_the_ticket_page(sam_client, sam, ticket):
    assert ">Follow</button>" in open_page(sam_client, ticket).content.decode()
    assert post(sam_client, "follow", ticket, {}).status_code == 302
    assert ticket.followers.filter(agent=sam).exists()
    assert ">Unfollow</button>" in open_page(sam_client, ticket).content.decode()
    post(sam_client, "unfollow", ticket, {})
    assert not ticket.followers.exists()


def test_every_change_form_carries_the_version(sam_client, ticket):
    content = open_page(sam_client, ticket).content.decode()
    version = Ticket.objects.get(pk=ticket.pk).version
    for form in ("reply", "note", "assign", "transfer", "priority", "sla", "status", "cc"):
        assert f'name="version" value="{version}" id="{form}-version"' in content, form
    # The one-button forms too: take it, remove a CC.
    assert content.count(f'<input type="hidden" name="version" value="{version}">') >= 1


def test_the_page_query_count_does_not_grow_with_followers_or_a_lock(
    client_for, sam, mia, ticket, support, django_assert_num_queries
):
    mia_client = client_for(mia)
    with CaptureQueriesContext(connection) as few:
        open_page(mia_client, ticket)
    for _ in range(10):
        follow_ticket(actor=AgentFactory(departments=[support]), ticket=ticket)
    follow_ticket(actor=mia, ticket=ticket)
    hold_reply_lock(agent=sam, ticket=ticket)
    with django_assert_num_queries(len(few.captured_queries)):
        assert "Sam is replying" in open_page(mia_client, ticket).content.decode()


def test_take_it_on_a_page_loaded_before_someone_else_had_the_ticket_says_who(sam_client, sam, mia, ticket):
    stale = open_page(sam_client, ticket)
    assign_ticket(actor=mia, ticket=ticket, agent=mia)
    assign_ticket(actor=mia, ticket=ticket, agent=None)
    response = post(sam_client, "claim", ticket, marker(stale))
    assert response.status_code == 302
    page = sam_client.get(response["Location"]).content.decode()
    assert "Since you opened this page: Mia took it; Mia unassigned it." in page
    assert Ticket.objects.get(pk=ticket.pk).assignee is None
    # The queue's button carries no version: it takes the ticket as it is.
    assert post(sam_client, "claim", ticket, {}).status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).assignee == sam
