"""Statuses in the Django admin: shown, never changed there (the administration area changes them, keeping a
status's state while tickets hold it, and records each change; see admin_panel/tests/test_statuses_pages.py)."""

import pytest
from django.urls import reverse

from helpline.catalog.models import State, TicketStatus
from helpline.testsupport.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_a_status_is_shown_but_not_changed_in_the_django_admin(admin_client, ticket):
    status = ticket.status
    url = reverse("admin:catalog_ticketstatus_change", args=[status.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and status.name in page.content.decode()
    response = admin_client.post(url, {"name": "Renamed", "state": State.CLOSED, "sort": status.sort})
    assert response.status_code == 403
    status.refresh_from_db()
    assert (status.name, status.state) == ("Open", State.OPEN)
    assert (
        admin_client.post(
            reverse("admin:catalog_ticketstatus_delete", args=[status.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert TicketStatus.objects.filter(pk=status.pk).exists()
