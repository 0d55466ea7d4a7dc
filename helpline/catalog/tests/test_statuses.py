"""Statuses in the admin: a status's state cannot change under the tickets that hold it."""

import pytest
from django.urls import reverse

from helpline.catalog.models import State, TicketStatus
from helpline.testsupport.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def change(admin_client, status: TicketStatus, **fields):
    data = {"name": status.name, "state": status.state, "sort": status.sort, **fields}
    if status.is_default:
        data["is_default"] = "on"
    return admin_client.post(reverse("admin:catalog_ticketstatus_change", args=[status.pk]), data)


def test_the_state_of_a_status_in_use_cannot_change(admin_client, ticket):
    in_use = ticket.status
    response = change(admin_client, in_use, state=State.CLOSED)
    assert response.status_code == 200
    assert "Tickets have this status, so its state cannot change" in response.content.decode()
    in_use.refresh_from_db()
    ticket.refresh_from_db()
    assert in_use.state == ticket.state == State.OPEN


def test_a_status_in_use_may_be_renamed(admin_client, ticket):
    response = change(admin_client, ticket.status, name="New")
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status.name, ticket.state) == ("New", State.OPEN)


def test_an_unused_status_may_move_to_another_state(admin_client, db):
    spare = TicketStatus.objects.create(name="On hold", state=State.PENDING)
    assert change(admin_client, spare, state=State.OPEN).status_code == 302
    spare.refresh_from_db()
    assert spare.state == State.OPEN
