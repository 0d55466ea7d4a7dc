"""Closing and reopening from the ticket page (portal:close, portal:reopen)."""

import pytest

from helpline.catalog.models import State, TicketStatus
from helpline.portal.tests.helpers import assert_private, portal_url
from helpline.tickets.actions import set_status
from helpline.tickets.models import Event


def test_the_requester_closes_their_ticket(client, ticket, rita):
    response = client.post(portal_url("close", ticket, rita))

    assert response.status_code == 302 and response["Location"] == portal_url("ticket", ticket, rita)
    assert_private(response)
    ticket.refresh_from_db()
    assert ticket.state == State.CLOSED and ticket.closed_at is not None
    assert ticket.entries.filter(event=Event.STATUS, author_requester=rita).exists()
    page = client.get(response["Location"]).content.decode()
    assert "The ticket is closed." in page
    assert '<dd class="status">Closed</dd>' in page


def test_the_requester_closes_a_resolved_ticket(client, ticket, rita, sam):
    set_status(actor=sam, ticket=ticket, status=TicketStatus.default_for(State.RESOLVED))

    client.post(portal_url("close", ticket, rita))

    ticket.refresh_from_db()
    assert ticket.state == State.CLOSED


def test_closing_twice_changes_nothing(client, ticket, rita):
    client.post(portal_url("close", ticket, rita))
    ticket.refresh_from_db()
    closed_at = ticket.closed_at

    response = client.post(portal_url("close", ticket, rita), follow=True)

    ticket.refresh_from_db()
    assert ticket.closed_at == closed_at
    assert "The ticket is already closed." in response.content.decode()


@pytest.mark.parametrize("state", [State.RESOLVED, State.CLOSED])
def test_the_requester_reopens_a_finished_ticket(client, ticket, rita, sam, state):
    set_status(actor=sam, ticket=ticket, status=TicketStatus.default_for(state))

    response = client.post(portal_url("reopen", ticket, rita), follow=True)

    ticket.refresh_from_db()
    assert ticket.state == State.OPEN and ticket.reopen_count == 1
    assert ticket.entries.filter(event=Event.REOPENED, author_requester=rita).exists()
    assert "The ticket is open again." in response.content.decode()
    assert '<dd class="status">Open</dd>' in response.content.decode()


def test_reopening_an_open_ticket_changes_nothing(client, ticket, rita):
    response = client.post(portal_url("reopen", ticket, rita), follow=True)

    ticket.refresh_from_db()
    assert ticket.state == State.OPEN and ticket.reopen_count == 0
    assert "The ticket is already open." in response.content.decode()


def test_a_collaborator_cannot_close(client, shared_ticket, colin):
    response = client.post(portal_url("close", shared_ticket, colin))

    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    assert_private(response)
    shared_ticket.refresh_from_db()
    assert shared_ticket.state == State.OPEN


def test_a_collaborator_cannot_reopen(client, shared_ticket, colin, sam):
    set_status(actor=sam, ticket=shared_ticket, status=TicketStatus.default_for(State.RESOLVED))

    response = client.post(portal_url("reopen", shared_ticket, colin))

    assert response.status_code == 403
    shared_ticket.refresh_from_db()
    assert shared_ticket.state == State.RESOLVED


@pytest.mark.parametrize("name", ["close", "reopen"])
def test_close_and_reopen_are_never_a_get(client, ticket, rita, sam, name):
    set_status(actor=sam, ticket=ticket, status=TicketStatus.default_for(State.RESOLVED))

    response = client.get(portal_url(name, ticket, rita))

    assert response.status_code == 405
    ticket.refresh_from_db()
    assert ticket.state == State.RESOLVED


@pytest.mark.parametrize("name", ["close", "reopen"])
def test_close_and_reopen_need_a_valid_link(client, ticket, rita, sam, name):
    set_status(actor=sam, ticket=ticket, status=TicketStatus.default_for(State.RESOLVED))
    url = portal_url(name, ticket, rita).replace("/t/", "/t/x")

    response = client.post(url)

    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.state == State.RESOLVED
