"""Related tickets on the ticket page: linking (symmetric, an event on both, removable) and splitting a
message off into a new ticket for its author, linked to the original."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.catalog.models import State
from helpline.testsupport.factories import RequesterFactory
from helpline.tickets.actions import (
    add_collaborator,
    link_tickets,
    merge_tickets,
    post_message,
    post_reply,
    transfer_ticket,
)
from helpline.tickets.models import Attachment, EntryKind, Event, Ticket, TicketLink
from helpline.tickets.policy import NotAllowed
from helpline.tickets.tests.helpers import last_event


def page(client, ticket) -> str:
    return client.get(reverse("staff:ticket", args=[ticket.number])).content.decode()


def test_a_link_shows_on_both_tickets_with_number_subject_and_status(sam_client, new_ticket, sam):
    one, two = new_ticket("Printer jam"), new_ticket("Toner low")
    response = sam_client.post(reverse("staff:link_add", args=[one.number]), {"other": f"#{two.number}"})
    assert response.status_code == 302
    assert TicketLink.objects.get().low_id == min(one.pk, two.pk)
    for here, there in ((one, two), (two, one)):
        shown = page(sam_client, here)
        assert (
            f'href="/staff/tickets/{there.number}/">#{there.number}</a> {there.subject} <span class="badge">Open'
            in shown
        )
        event = last_event(here)
        assert (event.event, event.data["other"]["number"]) == (Event.LINKED, there.number)
    assert f"Sam linked this to #{two.number} (Toner low)" in page(sam_client, one)


def test_a_link_is_removed_from_either_side(sam_client, new_ticket, sam):
    one, two = new_ticket("a"), new_ticket("b")
    link_tickets(actor=sam, ticket=one, other=two)
    response = sam_client.post(reverse("staff:link_remove", args=[two.number, one.number]))
    assert response.status_code == 302 and not TicketLink.objects.exists()
    assert [last_event(one).event, last_event(two).event] == [Event.UNLINKED, Event.UNLINKED]
    assert f"#{two.number}" not in page(sam_client, one).split('id="related"')[1].split("</section>")[0]


def test_bad_links_are_told_on_the_page(sam_client, new_ticket, sam, client_for, lena):
    one = new_ticket("a")
    for other, error in (
        (one.number, "cannot be linked to itself"),
        ("12345678", "No ticket #12345678"),
        ("x", "Enter a ticket number"),
    ):
        response = sam_client.post(reverse("staff:link_add", args=[one.number]), {"other": other})
        assert error in response.content.decode()
        assert response.status_code in (400, 403)
    two = new_ticket("b")
    assert link_tickets(actor=sam, ticket=one, other=two) and not link_tickets(
        actor=sam, ticket=two, other=one
    )
    assert (
        client_for(lena).post(reverse("staff:link_add", args=[one.number]), {"other": two.number}).status_code
        == 403
    )
    assert 'id="link-form"' not in page(client_for(lena), one)


def test_merging_moves_the_links_to_the_target(new_ticket, sam):
    source, target, other = new_ticket("s"), new_ticket("t"), new_ticket("o")
    link_tickets(actor=sam, ticket=source, other=other)
    link_tickets(actor=sam, ticket=source, other=target)
    merge_tickets(actor=sam, source=source, target=target)
    assert list(TicketLink.objects.values_list("low_id", "high_id")) == [
        (min(target.pk, other.pk), max(target.pk, other.pk))
    ]
    with pytest.raises(NotAllowed, match="was merged into another ticket"):
        link_tickets(actor=sam, ticket=source, other=other)


def test_the_ticket_page_costs_the_same_queries_for_any_number_of_links(sam_client, new_ticket, sam):
    ticket = new_ticket("hub")
    link_tickets(actor=sam, ticket=ticket, other=new_ticket("first"))
    with CaptureQueriesContext(connection) as one:
        page(sam_client, ticket)
    for n in range(5):
        link_tickets(actor=sam, ticket=ticket, other=new_ticket(f"more {n}"))
    with CaptureQueriesContext(connection) as six:
        page(sam_client, ticket)
    assert len(six.captured_queries) == len(one.captured_queries)


@pytest.fixture
def carl(db):
    return RequesterFactory(name="Carl Colleague", email="carl@example.test")


def test_a_message_splits_into_a_new_ticket_for_its_author(sam_client, new_ticket, sam, carl, upload):
    original = new_ticket("Two problems")
    add_collaborator(actor=sam, ticket=original, person=carl)
    message = post_message(
        actor=sam,
        ticket=original,
        author=carl,
        body="Also my monitor flickers.",
        attachments=[upload("monitor.txt", b"flicker")],
    )
    response = sam_client.post(reverse("staff:split", args=[original.number]), {"entry": message.pk})
    new = Ticket.objects.exclude(pk=original.pk).get()
    assert response["Location"] == reverse("staff:ticket", args=[new.number])
    assert (new.requester, new.subject, new.department, new.state) == (
        carl,
        "Two problems",
        original.department,
        State.OPEN,
    )
    first = new.entries.get(kind=EntryKind.MESSAGE)
    assert (first.body_text, first.author_requester) == ("Also my monitor flickers.", carl)
    [copy] = first.attachments.all()
    assert copy.filename == "monitor.txt" and copy.file.read() == b"flicker"
    assert copy.file.name != message.attachments.get().file.name  # its own file
    assert Attachment.objects.count() == 2 and original.entries.filter(pk=message.pk).exists()
    assert TicketLink.objects.filter(**TicketLink.pair(original.pk, new.pk)).exists()
    assert last_event(original).data["new"]["number"] == new.number
    assert new.entries.get(event=Event.SPLIT_FROM).data["original"]["number"] == original.number
    assert f"opened this ticket from a message of #{original.number}" in page(sam_client, new)


def test_only_a_participants_message_can_be_split(sam_client, new_ticket, sam, client_for, lena):
    original = new_ticket("Two problems")
    response_entry = post_reply(actor=sam, ticket=original, body="We are on it.")
    response = sam_client.post(reverse("staff:split", args=[original.number]), {"entry": response_entry.pk})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    message = original.entries.get(kind=EntryKind.MESSAGE)
    assert (
        client_for(lena)
        .post(reverse("staff:split", args=[original.number]), {"entry": message.pk})
        .status_code
        == 403
    )
    assert Ticket.objects.count() == 1


def test_a_linked_ticket_the_reader_may_not_see_is_named_by_number_alone(
    client_for, lena, ada, new_ticket, sam, it_department
):
    here, there = new_ticket("Printer jam"), new_ticket("Salary of the CEO")
    link_tickets(actor=sam, ticket=here, other=there)
    assert f"Sam linked this to #{there.number} (Salary of the CEO)" in page(client_for(lena), here)
    transfer_ticket(actor=sam, ticket=there, department=it_department)  # Lena works in Support only
    shown = page(client_for(lena), here)
    assert f"Sam linked this to #{there.number} ·" in shown and "Salary of the CEO" not in shown
    assert f"Sam linked this to #{there.number} (Salary of the CEO)" in page(client_for(ada), here)
