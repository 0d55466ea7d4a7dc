"""A keyset cursor is the client's to tamper with: one holding a value no page can have ended on (an
infinite number, a NUL, a moment beyond the calendar in UTC, an integer past 64 bits) is malformed, and a
malformed cursor gives the first page, in the API as in the staff queues, on every database."""

import base64

import pytest
from django.urls import reverse

from helpline.api.keys import issue_key
from helpline.api.models import Scope
from helpline.people.models import Organization, Requester

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = "100000000000000000000000000"
TAMPERED = {
    "infinity": "[Infinity, 1]",
    "minus infinity": "[-Infinity, 1]",
    "not a number": "[NaN, 1]",
    "NUL": '["\\u0000", 1]',
    "before year one in UTC": '[{"dt": "0001-01-01T00:00:00+05:00"}, 1]',
    "after 9999 in UTC": '[{"dt": "9999-12-31T23:59:59-05:00"}, 1]',
    "a naive moment": '[{"dt": "2020-01-01T00:00:00"}, 1]',
    "a value past 64 bits": f"[{BEYOND_64_BITS}, 1]",
    "a key past 64 bits": f"[1, {BEYOND_64_BITS}]",
    "a key past 64 bits among the nulls": f"[null, {BEYOND_64_BITS}]",
}


def cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.fixture
def headers(db):
    return {"Authorization": f"Bearer {issue_key('Reader', [Scope.READ])[1]}"}


@pytest.fixture
def tickets(open_for, rita, support_topic, sam):
    return [open_for(rita, support_topic, subject=f"Printer {n}") for n in range(3)]


def items(answer) -> list:
    assert answer.status_code == 200, answer.content
    return answer.json()["items"]


@pytest.mark.parametrize("raw", TAMPERED.values(), ids=TAMPERED.keys())
@pytest.mark.parametrize("sort", ["priority", "number", "-updated", "due"])
def test_a_tampered_ticket_cursor_gives_the_first_page(client, headers, tickets, sort, raw):
    first = items(client.get("/api/v1/tickets", {"sort": sort, "limit": 2}, headers=headers))
    tampered = {"sort": sort, "limit": 2, "cursor": cursor(raw)}
    assert items(client.get("/api/v1/tickets", tampered, headers=headers)) == first


@pytest.mark.parametrize("raw", TAMPERED.values(), ids=TAMPERED.keys())
def test_a_tampered_search_cursor_gives_the_first_page(client, headers, tickets, raw):
    first = items(client.get("/api/v1/tickets/search", {"q": "printer", "limit": 2}, headers=headers))
    tampered = {"q": "printer", "limit": 2, "cursor": cursor(raw)}
    assert items(client.get("/api/v1/tickets/search", tampered, headers=headers)) == first


@pytest.mark.parametrize("raw", TAMPERED.values(), ids=TAMPERED.keys())
@pytest.mark.parametrize("path", ["/api/v1/requesters", "/api/v1/organizations"])
def test_a_tampered_people_cursor_gives_the_first_page(client, headers, path, raw):
    for name in "ABC":
        Requester.objects.create(name=name, email=f"{name}@example.test")
        Organization.objects.create(name=name)
    first = items(client.get(path, {"limit": 2}, headers=headers))
    assert items(client.get(path, {"limit": 2, "cursor": cursor(raw)}, headers=headers)) == first


@pytest.mark.parametrize("raw", TAMPERED.values(), ids=TAMPERED.keys())
@pytest.mark.parametrize("sort", ["priority", "number", "updated"])  # a number, a text, a moment
def test_a_tampered_queue_cursor_shows_the_first_page(client, sam, tickets, sort, raw):
    client.force_login(sam.user)
    queue = reverse("staff:queue", args=["open"])
    first = client.get(queue, {"sort": sort})
    tampered = client.get(queue, {"sort": sort, "after": cursor(raw)})
    assert tampered.status_code == 200
    assert tampered.context["tickets"] == first.context["tickets"]
