"""The "Take it" button: on the ticket page and on the queues' rows, shown exactly when the claiming action
would accept it; a POST (with CSRF) that takes the ticket and comes back where it was pressed."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.staff.views.queues import PAGE_SIZE
from helpline.testsupport.factories import TeamFactory
from helpline.tickets.actions import assign_ticket
from helpline.tickets.models import Ticket
from helpline.tickets.policy import can_claim


def ticket_page(client, ticket) -> str:
    return client.get(reverse("staff:ticket", args=[ticket.number])).content.decode()


def take_url(ticket) -> str:
    return reverse("staff:claim", args=[ticket.number])


def queue(client, name: str):
    return client.get(reverse("staff:queue", args=[name]))


def buttons(content: str) -> set[str]:
    """The ticket numbers whose row has a "Take it" button."""
    return set(re.findall(r'id="claim-(\d+)"', content))


def test_the_ticket_page_offers_it_on_an_unassigned_ticket_and_taking_it_assigns_the_agent(
    sam_client, sam, ticket
):
    content = ticket_page(sam_client, ticket)
    assert f'action="{take_url(ticket)}"' in content and ">Take it</button>" in content
    response = sam_client.post(take_url(ticket), follow=True)
    assert response.redirect_chain == [(reverse("staff:ticket", args=[ticket.number]), 302)]
    content = response.content.decode()
    assert f"You took ticket #{ticket.number}." in content
    assert "Sam took this ticket" in content
    assert f'action="{take_url(ticket)}"' not in content  # taken: no button any more
    ticket.refresh_from_db()
    assert ticket.assignee == sam


def test_the_button_is_not_offered_to_the_limited_role_nor_on_an_assigned_ticket(
    client_for, lena, mia, sam, ticket
):
    assert f'action="{take_url(ticket)}"' not in ticket_page(client_for(lena), ticket)
    assign_ticket(actor=sam, ticket=ticket, agent=sam)
    assert f'action="{take_url(ticket)}"' not in ticket_page(client_for(mia), ticket)


def test_a_limited_agent_posting_anyway_is_refused(client_for, lena, ticket):
    response = client_for(lena).post(take_url(ticket))
    assert response.status_code == 403
    assert "Lena may not take unassigned tickets of Support" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_a_ticket_taken_meanwhile_says_so_and_keeps_its_assignee(client_for, mia, sam, ticket):
    mia_client = client_for(mia)
    assert f'action="{take_url(ticket)}"' in ticket_page(mia_client, ticket)
    assign_ticket(actor=sam, ticket=ticket, agent=sam)  # before Mia presses the button
    response = mia_client.post(take_url(ticket), follow=True)
    assert f"Ticket #{ticket.number} is assigned already." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assignee == sam


def test_taking_is_never_a_get_and_needs_the_csrf_token(sam, ticket):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(sam.user)
    assert browser.get(take_url(ticket)).status_code == 405
    assert browser.post(take_url(ticket)).status_code == 403
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_an_invisible_ticket_is_not_found(client_for, ivan, ticket):
    assert client_for(ivan).post(take_url(ticket)).status_code == 404


@pytest.fixture
def rows(new_ticket, sam, lena):
    """Open tickets in each situation: unassigned, Sam's, Lena's, with Sam's team, with a team without Sam."""
    tickets = {name: new_ticket(name) for name in ("free", "sams", "lenas", "our team", "their team")}
    ours, theirs = TeamFactory(name="Printers"), TeamFactory(name="Scanners")
    sam.teams.add(ours)
    assign_ticket(actor=sam, ticket=tickets["sams"], agent=sam)
    assign_ticket(actor=sam, ticket=tickets["lenas"], agent=lena)
    assign_ticket(actor=sam, ticket=tickets["our team"], team=ours)
    assign_ticket(actor=sam, ticket=tickets["their team"], team=theirs)
    return {name: Ticket.objects.get(pk=t.pk) for name, t in tickets.items()}


def test_queue_rows_offer_it_exactly_where_the_action_would_accept_it(
    sam_client, client_for, sam, lena, rows
):
    content = queue(sam_client, "open").content.decode()
    assert buttons(content) == {rows["free"].number, rows["our team"].number}
    assert buttons(content) == {t.number for t in rows.values() if can_claim(sam, t)}
    assert buttons(queue(sam_client, "mine").content.decode()) == {rows["our team"].number}
    assert buttons(queue(client_for(lena), "open").content.decode()) == set()


def test_taking_from_a_queue_comes_back_to_it(sam_client, sam, rows):
    here = reverse("staff:queue", args=["unassigned"]) + "?sort=created"
    content = sam_client.get(here).content.decode()
    assert f'name="next" value="{here.replace("&", "&amp;")}"' in content
    response = sam_client.post(take_url(rows["free"]), {"next": here}, follow=True)
    assert response.redirect_chain == [(here, 302)]
    assert f"You took ticket #{rows['free'].number}." in response.content.decode()
    assert rows["free"].number not in buttons(response.content.decode())


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/staff/queues/open/", "//evil.example/staff/queues/", "/portal/"]
)
def test_taking_never_sends_the_agent_to_another_site_or_page(sam_client, rows, elsewhere):
    response = sam_client.post(take_url(rows["free"]), {"next": elsewhere})
    assert response["Location"] == reverse("staff:ticket", args=[rows["free"].number])


def test_the_queue_query_count_does_not_grow_with_the_rows_offering_it(
    sam_client, new_ticket, django_assert_num_queries
):
    for n in range(3):
        new_ticket(f"t{n}")
    with CaptureQueriesContext(connection) as few:
        assert len(buttons(queue(sam_client, "unassigned").content.decode())) == 3
    for n in range(PAGE_SIZE):
        new_ticket(f"more {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(buttons(queue(sam_client, "unassigned").content.decode())) == PAGE_SIZE


def test_taking_a_teams_ticket_reads_as_taking_it_in_the_thread(sam_client, rows):
    response = sam_client.post(take_url(rows["our team"]), follow=True)
    content = response.content.decode()
    assert "Sam took this ticket" in content and '<dd id="prop-team">Printers</dd>' in content
