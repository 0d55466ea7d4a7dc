"""What a trusted proxy writes into X-Forwarded-For is read as an address or not at all: a port is dropped,
an entry that is no address (``unknown``) leaves the client's address unknown. Each door that records or
counts an address (API keys, their networks, the staff sign-in, the portal's rate limits) gets one that
fits its address columns on every database, or none."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from helpline.api.keys import issue_key
from helpline.api.models import ApiKey, Scope
from helpline.security.models import AgentSession

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # the factories' password

READ_AS = {
    "IPv4 with a port": ("192.0.2.1:5678", "192.0.2.1"),
    "IPv6 in brackets with a port": ("[2001:db8::1]:443", "2001:db8::1"),
    "IPv6 in brackets": ("[2001:DB8::1]", "2001:db8::1"),
    "bare IPv6": ("2001:DB8:0::1", "2001:db8::1"),
    "unknown": ("unknown", None),
    "not hexadecimal": ("2001:db8::zz", None),
    "a port that is no number": ("192.0.2.1:http", None),
    "IPv4 in brackets": ("[192.0.2.1]:80", None),
}


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.HELPLINE_PROXY_COUNT = 1
    cache.clear()
    yield
    cache.clear()


def me(client, raw: str, forwarded: str):
    return client.get("/api/v1/me", headers={"X-API-Key": raw, "X-Forwarded-For": forwarded})


@pytest.mark.parametrize(("forwarded", "address"), READ_AS.values(), ids=READ_AS.keys())
def test_a_key_works_whatever_the_proxy_wrote_and_its_last_address_is_one(client, forwarded, address):
    key, raw = issue_key("Monitoring", [Scope.READ])
    assert me(client, raw, f"198.51.100.7, {forwarded}").status_code == 200
    key.refresh_from_db()
    assert key.last_used_ip == address


def test_a_key_limited_to_a_network_is_refused_from_an_address_no_one_can_name(client):
    # The test client's socket address (the proxy's, here) is 127.0.0.1, inside the key's network: an
    # entry that is no address must not fall back to it.
    key, raw = issue_key("Local", [Scope.READ], networks=["127.0.0.0/8"])
    assert me(client, raw, "127.0.0.5:4242").status_code == 200
    assert me(client, raw, "unknown").status_code == 401
    assert me(client, raw, "10.0.0.1").status_code == 401
    assert ApiKey.objects.get(pk=key.pk).last_used_ip == "127.0.0.5"


def test_the_staff_sign_in_records_the_address_without_its_port(client, sam):
    signed_in = client.post(
        reverse("staff:login"),
        {"username": "sam", "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.7:50000"},
    )
    assert signed_in.status_code == 302
    assert AgentSession.objects.get(user=sam.user).address == "203.0.113.7"


def test_a_wrong_password_behind_a_proxy_that_writes_unknown_is_refused_as_usual(client, sam):
    refused = client.post(
        reverse("staff:login"),
        {"username": "sam", "password": "wrong"},
        headers={"X-Forwarded-For": "unknown"},
    )
    assert refused.status_code == 200 and refused.context["form"].errors


def test_the_portal_counts_a_client_once_whatever_port_it_came_from(client, ticket, settings):
    settings.HELPLINE_PORTAL_LOOKUPS_PER_HOUR = 1
    asked = [
        client.post(
            "/portal/status/",
            {"email": "nobody@example.test", "number": "11111111"},
            headers={"X-Forwarded-For": f"203.0.113.9:{port}"},
        ).status_code
        for port in (40001, 40002)
    ]
    assert asked == [302, 429]
