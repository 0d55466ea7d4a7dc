"""@mentions in internal notes: the agents named who may see the ticket are alerted by email and find it in
their Mentioned queue; one who may not see it is told nothing, and the note's author learns so."""

import pytest
from django.urls import reverse

from helpline.testsupport.factories import AgentFactory, UserFactory
from helpline.tickets.models import Mention


@pytest.fixture
def note_as(db, client_for, django_capture_on_commit_callbacks, mailoutbox):
    # ``db`` first: setting up the database starts a fresh mail outbox, which ``mailoutbox`` must be.
    """Post an internal note through the ticket page, running what its commit schedules (the alerts)."""

    def post(agent, ticket, body):
        mailoutbox.clear()
        client = client_for(agent)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("staff:note", args=[ticket.number]), {"body": body})
        assert response.status_code == 302
        return client.get(response["Location"])

    return post


def alerts(mailoutbox):
    return [(mail.to, mail.subject) for mail in mailoutbox]


def queue_numbers(client, queue="mentioned"):
    page = client.get(reverse("staff:queue", args=[queue]))
    return [ticket.number for ticket in page.context["tickets"]]


def test_a_mentioned_agent_is_alerted_and_finds_the_ticket_in_their_mentioned_queue(
    note_as, sam, lena, mia, ticket, mailoutbox, client_for
):
    page = note_as(sam, ticket, "@lena, could you call Rita back? Thanks.")
    assert "Mentioned: Lena." in page.content.decode()
    [mention] = Mention.objects.all()
    assert (mention.agent, mention.ticket, mention.entry.body_text) == (lena, ticket, mention.entry.body_text)
    assert alerts(mailoutbox) == [
        (["lena@staff.example.test"], f"Mentioned: [#{ticket.number}] Printer on fire")
    ]
    assert "could you call Rita back" in mailoutbox[0].body
    assert reverse("staff:ticket", args=[ticket.number]) in mailoutbox[0].body
    assert queue_numbers(client_for(lena)) == [ticket.number]
    assert queue_numbers(client_for(mia)) == []  # not mentioned
    assert queue_numbers(client_for(sam)) == []


def test_mentioning_an_agent_who_may_not_see_the_ticket_does_nothing_for_them_and_says_so(
    note_as, sam, ivan, ticket, mailoutbox, client_for
):
    page = note_as(sam, ticket, "@ivan is this a network thing?")
    assert "Ivan may not see this ticket, so nobody told them." in page.content.decode()
    assert not Mention.objects.exists()
    assert alerts(mailoutbox) == []
    assert queue_numbers(client_for(ivan)) == []


def test_a_display_name_mentions_its_agent_when_only_one_has_it(note_as, sam, support, ticket, mailoutbox):
    nora = AgentFactory(
        user=UserFactory(
            username="nn", first_name="Nora", last_name="Night", email="nora@staff.example.test"
        ),
        departments=[support],
    )
    AgentFactory(
        user=UserFactory(username="nora2", first_name="Nora", last_name="Day"), departments=[support]
    )
    note_as(sam, ticket, "Over to @Nora Night. (Not @nobody, not sam@example.com.)")
    assert [m.agent for m in Mention.objects.all()] == [nora]
    assert alerts(mailoutbox) == [
        (["nora@staff.example.test"], f"Mentioned: [#{ticket.number}] Printer on fire")
    ]


def test_two_agents_with_one_display_name_are_not_guessed_at(note_as, sam, support, ticket):
    for username in ("pat1", "pat2"):
        AgentFactory(
            user=UserFactory(username=username, first_name="Pat", last_name="Lee"), departments=[support]
        )
    page = note_as(sam, ticket, "@Pat Lee please look")
    assert not Mention.objects.exists()
    assert "more than one agent is called Pat Lee" in page.content.decode()


def test_the_author_is_not_alerted_of_their_own_mention(note_as, sam, ticket, mailoutbox):
    note_as(sam, ticket, "Reminder for @sam: call back at 3.")
    assert not Mention.objects.exists() and alerts(mailoutbox) == []


def test_the_mentioned_queue_leaves_finished_tickets_out_and_pages_by_keyset(
    note_as, sam, lena, new_ticket, client_for, django_assert_max_num_queries
):
    tickets = [new_ticket(f"Ticket {n}") for n in range(30)]
    for ticket in tickets:
        note_as(sam, ticket, "@lena")
    lena_client = client_for(lena)
    lena_client.get(reverse("staff:queue", args=["mentioned"]))
    with django_assert_max_num_queries(24):
        first = lena_client.get(reverse("staff:queue", args=["mentioned"]))
    assert len(first.context["tickets"]) == 25 and "after=" in first.context["next_url"]
    second = lena_client.get(first.context["next_url"])
    seen = {t.number for t in first.context["tickets"]} | {t.number for t in second.context["tickets"]}
    assert seen == {t.number for t in tickets}
