"""Revoking a ticket's access links from its staff page: who is offered it, and what the POST does."""

import pytest
from django.test import Client
from django.urls import reverse

from helpline.tickets.access import access_token
from helpline.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def portal(ticket: Ticket) -> str:
    ticket.refresh_from_db()
    return reverse("portal:ticket", args=[access_token(ticket, ticket.requester)])


def revoke_url(ticket: Ticket) -> str:
    return reverse("staff:revoke_links", args=[ticket.number])


def secret(ticket: Ticket) -> str:
    return Ticket.objects.values_list("access_secret", flat=True).get(pk=ticket.pk)


def test_an_agent_revokes_the_links_and_the_old_one_stops_opening_the_ticket(sam_client, client, ticket):
    old_link = portal(ticket)
    assert client.get(old_link).status_code == 200
    page = sam_client.get(reverse("staff:ticket", args=[ticket.number])).content.decode()
    assert f'action="{revoke_url(ticket)}"' in page

    response = sam_client.post(revoke_url(ticket), follow=True)

    assert response.redirect_chain == [(reverse("staff:ticket", args=[ticket.number]), 302)]
    content = response.content.decode()
    assert "The links sent so far no longer open this ticket." in content
    assert "Sam revoked the access links sent so far" in content
    gone = client.get(old_link)
    assert gone.status_code == 404 and "Printer on fire" not in gone.content.decode()
    assert client.get(portal(ticket)).status_code == 200


def test_a_limited_agent_is_not_offered_it_and_is_refused(client_for, lena, ticket):
    lenas = client_for(lena)
    before = secret(ticket)
    assert revoke_url(ticket) not in lenas.get(reverse("staff:ticket", args=[ticket.number])).content.decode()
    assert lenas.post(revoke_url(ticket)).status_code == 403
    assert secret(ticket) == before


def test_an_agent_who_cannot_see_the_ticket_gets_404(client_for, ivan, ticket):
    before = secret(ticket)
    assert client_for(ivan).post(revoke_url(ticket)).status_code == 404
    assert secret(ticket) == before


def test_a_get_changes_nothing(sam_client, ticket):
    before = secret(ticket)
    assert sam_client.get(revoke_url(ticket)).status_code == 405
    assert secret(ticket) == before


def test_revoking_needs_csrf(sam, ticket):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sam.user)
    before = secret(ticket)
    assert client.post(revoke_url(ticket)).status_code == 403
    assert secret(ticket) == before


@pytest.mark.parametrize(
    "path", ["/staff/tickets/1%00/", "/staff/tickets/%00/delete/", "/staff/tickets/1%00/updates/?after=0"]
)
def test_a_ticket_number_with_a_nul_is_not_found(sam_client, path):
    assert sam_client.get(path).status_code == 404
