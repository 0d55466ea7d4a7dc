"""An agent's preferences: the time zone the staff panel shows their times in."""

import html
import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from helpline.tickets.models import Ticket

URL = reverse("staff:preferences")
DUE = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def due_ticket(new_ticket):
    ticket = new_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(due_at=DUE)
    return ticket


def test_the_navigation_leads_to_the_preferences(sam_client):
    page = sam_client.get(reverse("staff:queue", args=["open"])).content.decode()
    assert f'href="{URL}"' in page


def test_the_page_offers_the_desks_zone_first_and_the_regions_cities(sam_client, settings):
    settings.TIME_ZONE = "Europe/Vienna"
    page = sam_client.get(URL).content.decode()
    assert '<option value="" selected>The desk\'s time zone (Europe/Vienna)</option>' in html.unescape(page)
    assert '<optgroup label="America">' in page
    assert '<option value="America/Argentina/Buenos_Aires">Argentina / Buenos Aires</option>' in page
    assert 'value="US/Eastern"' not in page


def test_a_chosen_zone_is_saved_and_every_page_then_speaks_it(sam_client, sam, due_ticket):
    response = sam_client.post(URL, {"time_zone": "Asia/Tokyo"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Preferences saved. Times are shown in Asia/Tokyo." in response.content.decode()
    sam.refresh_from_db()
    assert sam.time_zone == "Asia/Tokyo"
    assert '<option value="Asia/Tokyo" selected>Tokyo</option>' in response.content.decode()

    ticket_page = sam_client.get(reverse("staff:ticket", args=[due_ticket.number])).content.decode()
    assert '<time datetime="2026-12-02T00:00:00+09:00"' in ticket_page
    assert "2 Dec 2026, 00:00 JST" in ticket_page
    queue = sam_client.get(reverse("staff:queue", args=["open"])).content.decode()
    assert 'title="2 Dec 2026, 00:00 JST (Asia/Tokyo)"' in queue


def test_each_agent_sees_their_own_zone_and_the_request_leaves_none_behind(
    sam_client, client_for, lena, due_ticket
):
    sam_client.post(URL, {"time_zone": "America/Chicago"})
    url = reverse("staff:ticket", args=[due_ticket.number])
    assert "1 Dec 2026, 09:00 CST" in sam_client.get(url).content.decode()
    assert timezone.get_current_timezone_name() == "UTC"  # the thread is back in the desk's zone
    assert "1 Dec 2026, 15:00 UTC" in client_for(lena).get(url).content.decode()


def test_choosing_the_desks_zone_again_follows_the_setting(sam_client, sam, settings):
    sam.time_zone = "Asia/Tokyo"
    sam.save()
    sam_client.post(URL, {"time_zone": ""})
    sam.refresh_from_db()
    assert sam.time_zone == ""
    settings.TIME_ZONE = "Europe/Madrid"
    page = sam_client.get(URL).content.decode()
    assert re.search(r" CES?T</time>", page.split('id="prefs-now"')[1].split("</p>")[0])


def test_an_unknown_zone_is_refused_with_the_error_summary(sam_client, sam):
    response = sam_client.post(URL, {"time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: Preferences · Helpline</title>" in page
    assert '<a href="#prefs-time_zone">Time zone: Select a valid choice.' in page
    sam.refresh_from_db()
    assert sam.time_zone == ""
