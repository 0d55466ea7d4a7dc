"""The portal shows times in the zone of the requester the access link names, and lets them choose it."""

import html
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpline.portal.tests.helpers import assert_private, portal_url
from helpline.tickets.models import Ticket

OPENED = datetime(2026, 12, 1, 15, 23, tzinfo=UTC)


@pytest.fixture
def dated(shared_ticket):
    Ticket.objects.filter(pk=shared_ticket.pk).update(created_at=OPENED)
    shared_ticket.entries.update(created_at=OPENED)
    return shared_ticket


def page_of(client, ticket, requester) -> str:
    response = client.get(portal_url("ticket", ticket, requester))
    assert response.status_code == 200
    return response.content.decode()


def test_times_are_in_the_desks_zone_until_the_requester_chooses(client, dated, rita, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    page = page_of(client, dated, rita)
    assert '<time datetime="2026-12-01T16:23:00+01:00"' in page
    assert "1 Dec 2026, 16:23 CET" in page
    assert '<option value="" selected>The desk\'s time zone (Europe/Berlin)</option>' in html.unescape(page)


def test_the_requester_chooses_a_zone_and_their_pages_follow_it(client, dated, rita, colin):
    response = client.post(portal_url("time_zone", dated, rita), {"time_zone": "America/Sao_Paulo"})
    assert response.status_code == 302 and response.url == portal_url("ticket", dated, rita)
    assert_private(response)
    rita.refresh_from_db()
    assert rita.time_zone == "America/Sao_Paulo"

    page = client.get(response.url).content.decode()
    assert "Times are now shown in America/Sao_Paulo." in page
    assert "1 Dec 2026, 12:23 UTC-03" in page
    assert '<option value="America/Sao_Paulo" selected>Sao Paulo</option>' in page
    # Colin, copied on the same ticket, keeps his own zone.
    assert "1 Dec 2026, 15:23 UTC" in page_of(client, dated, colin)


def test_an_unknown_zone_is_refused_on_the_ticket_page_with_the_error_summary(client, dated, rita):
    response = client.post(portal_url("time_zone", dated, rita), {"time_zone": "Europe/Atlantis"})
    assert response.status_code == 400
    assert_private(response, "strict-origin")
    page = response.content.decode()
    assert "<title>Error: #" in page
    assert '<a href="#zone-time_zone">Time zone: Select a valid choice.' in page
    rita.refresh_from_db()
    assert rita.time_zone == ""


def test_a_forged_link_cannot_set_anyones_zone(client, dated, rita):
    response = client.post(f"/portal/t/{'x' * 40}/time-zone/", {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 404
    rita.refresh_from_db()
    assert rita.time_zone == ""


def test_a_get_does_not_change_the_zone(client, dated, rita):
    response = client.get(portal_url("time_zone", dated, rita), {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 405
    rita.refresh_from_db()
    assert rita.time_zone == ""


def test_the_zone_costs_the_page_no_query(client, dated, rita):
    url = portal_url("ticket", dated, rita)
    client.get(url)  # warm up: the session and the status rows
    with CaptureQueriesContext(connection) as in_desk_zone:
        client.get(url)
    rita.time_zone = "Asia/Tokyo"
    rita.save()
    with CaptureQueriesContext(connection) as in_own_zone:
        assert "JST" in client.get(url).content.decode()
    assert len(in_own_zone.captured_queries) == len(in_desk_zone.captured_queries)
