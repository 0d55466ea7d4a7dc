"""The budget of tickets one client address may open from the portal in an hour (counted in the database,
so every app server shares it), and what a person hears once it is spent."""

import time
from datetime import timedelta

import pytest
import time_machine

from helpline.core.models import Throttle
from helpline.core.tasks import prune_throttles_hourly
from helpline.portal.protection import ONE_TIME_FIELD
from helpline.portal.tests.helpers import form_token
from helpline.tickets.models import Ticket

HOME = "/portal/"


@pytest.fixture
def send(client, form_data):
    """Send the form as a new person would (a form of their own, an address of their own)."""
    sent = 0

    def _send(remote_addr: str = "198.51.100.7", **changes):
        nonlocal sent
        sent += 1
        data = form_data | {"email": f"person{sent}@example.test", ONE_TIME_FIELD: form_token()} | changes
        return client.post(HOME, data, REMOTE_ADDR=remote_addr)

    return _send


def test_the_default_budget_lets_an_office_behind_one_address_through(settings, send):
    assert settings.HELPLINE_PORTAL_TICKETS_PER_HOUR == 20

    assert all(send().status_code == 302 for _ in range(20))
    assert send().status_code == 429


def test_beyond_the_budget_a_person_is_told_when_to_try_again_and_keeps_what_they_typed(
    settings, send, form_data
):
    settings.HELPLINE_PORTAL_TICKETS_PER_HOUR = 2
    with time_machine.travel(time.time(), tick=False) as clock:
        assert [send().status_code, send().status_code] == [302, 302]
        refused = send(subject="Third one")
        clock.shift(timedelta(minutes=29))
        still_refused = send()
        clock.shift(timedelta(minutes=1))
        later = send(**{ONE_TIME_FIELD: refused.context["form_token"]})  # the refused form, sent again

    assert refused.status_code == 429
    assert refused["Retry-After"] == "1800"
    page = refused.content.decode()
    assert "Many tickets were opened from your network in the last hour. Try again in 30 minutes" in page
    assert 'value="Third one"' in page and form_data["message"].splitlines()[0] in page
    assert still_refused.status_code == 429 and "Try again in a minute" in still_refused.content.decode()
    assert later.status_code == 302
    assert Ticket.objects.count() == 3


def test_each_address_has_its_own_budget(settings, send):
    settings.HELPLINE_PORTAL_TICKETS_PER_HOUR = 1

    assert send("198.51.100.7").status_code == 302
    assert send("198.51.100.7").status_code == 429
    assert send("203.0.113.9").status_code == 302


def test_ipv6_clients_share_the_budget_of_their_network(settings, send):
    settings.HELPLINE_PORTAL_TICKETS_PER_HOUR = 1

    assert send("2001:db8:1:2::1").status_code == 302
    assert send("2001:db8:1:2:ffff::9").status_code == 429  # same /64: the same subscriber
    assert send("2001:db8:1:3::1").status_code == 302


def test_behind_a_proxy_the_budget_follows_the_forwarded_address(settings, send, client):
    settings.HELPLINE_PROXY_COUNT = 1
    settings.HELPLINE_PORTAL_TICKETS_PER_HOUR = 1
    client.defaults["HTTP_X_FORWARDED_FOR"] = "198.51.100.50"

    assert send("10.0.0.1").status_code == 302
    assert send("10.0.0.1").status_code == 429
    client.defaults["HTTP_X_FORWARDED_FOR"] = "198.51.100.51"
    assert send("10.0.0.1").status_code == 302


def test_only_tickets_opened_count_against_the_budget(settings, send):
    settings.HELPLINE_PORTAL_TICKETS_PER_HOUR = 1

    assert send(subject="").status_code == 200  # a field to correct: nothing opened
    assert send(website="filled").status_code == 400  # refused before it was counted
    assert send().status_code == 302


def test_the_budget_can_be_turned_off(settings, send):
    settings.HELPLINE_PORTAL_TICKETS_PER_HOUR = 0

    assert [send().status_code for _ in range(3)] == [302, 302, 302]
    assert not Throttle.objects.exists()


def test_buckets_of_clients_gone_for_a_day_are_forgotten(settings, send):
    settings.HELPLINE_PORTAL_TICKETS_PER_HOUR = 1
    send()
    assert prune_throttles_hourly.call_local() == 0

    with time_machine.travel(timedelta(days=1, hours=1)):
        assert prune_throttles_hourly.call_local() == 1
    assert not Throttle.objects.exists()
