"""Reading tickets: list with the queues' filters, sorts and keyset pages, search, one ticket with its
thread and ETag; what a credential sees is what its agent (or its scope) sees, in a constant number of
queries."""

import pytest

from helpline.api.tests.conftest import bearer
from helpline.catalog.models import Priority
from helpline.tickets.actions import add_note, post_reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_ticket(open_for, rita, it_topic, ivan):
    return open_for(rita, it_topic, subject="VPN down", body="The VPN is down.")


def numbers(answer):
    assert answer.status_code == 200, answer.content
    return [item["number"] for item in answer.json()["items"]]


def test_an_agent_token_lists_what_the_agent_sees(client, token_of, sam, ivan, ticket, it_ticket):
    assert numbers(client.get("/api/v1/tickets", headers=bearer(token_of(sam)))) == [ticket.number]
    assert numbers(client.get("/api/v1/tickets", headers=bearer(token_of(ivan)))) == [it_ticket.number]


def test_a_read_key_lists_every_department_and_a_create_key_nothing(client, key_of, ticket, it_ticket):
    assert set(numbers(client.get("/api/v1/tickets", headers=bearer(key_of("read"))))) == {
        ticket.number,
        it_ticket.number,
    }
    refused = client.get("/api/v1/tickets", headers=bearer(key_of("tickets:create")))
    assert refused.status_code == 403 and "'read' scope" in refused.json()["detail"]


def test_the_list_filters_as_the_queues_do(client, key_of, ticket, it_ticket, it_department, sam):
    raw = key_of("read")
    get = lambda query: numbers(client.get(f"/api/v1/tickets?{query}", headers=bearer(raw)))  # noqa: E731
    assert get(f"department={it_department.pk}") == [it_ticket.number]
    assert get("state=closed") == []
    assert get("requester=RITA@example.test&sort=number") == sorted([ticket.number, it_ticket.number])
    assert get("assignee=none&sort=created") == [ticket.number, it_ticket.number]
    assert get("assignee=me") == []  # a key is nobody


def test_bad_filters_are_422_naming_the_field(client, key_of):
    answer = client.get("/api/v1/tickets?sort=subject", headers=bearer(key_of("read")))
    assert answer.status_code == 422 and answer.json()["field"] == "sort"
    answer = client.get(
        "/api/v1/tickets?created_from=2025-02-01&created_to=2025-01-01", headers=bearer(key_of("read"))
    )
    assert answer.status_code == 422 and answer.json()["field"] == "created_to"


def test_pages_follow_an_opaque_cursor(client, key_of, open_for, rita, support_topic):
    opened = [open_for(rita, support_topic, subject=f"Ticket {n}") for n in range(5)]
    raw, seen, cursor = key_of("read"), [], None
    for _ in range(3):
        answer = client.get(
            "/api/v1/tickets",
            {"limit": 2, "sort": "number", **({"cursor": cursor} if cursor else {})},
            headers=bearer(raw),
        )
        seen += numbers(answer)
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(t.number for t in opened) and cursor is None


def test_search_finds_through_the_staff_search_within_what_is_visible(
    client, token_of, sam, ticket, it_ticket
):
    raw = token_of(sam)
    assert numbers(client.get(f"/api/v1/tickets/search?q={ticket.number}", headers=bearer(raw))) == [
        ticket.number
    ]
    assert numbers(client.get(f"/api/v1/tickets/search?q={it_ticket.number}", headers=bearer(raw))) == []


def test_a_ticket_comes_with_its_thread_and_notes_only_for_agents(client, token_of, key_of, sam, ticket):
    add_note(actor=sam, ticket=ticket, body="Internal: printer model X.")
    post_reply(actor=sam, ticket=ticket, body="We are on it.")
    answer = client.get(f"/api/v1/tickets/{ticket.number}", headers=bearer(token_of(sam)))
    assert answer.status_code == 200
    body = answer.json()
    assert body["subject"] == "Printer on fire" and body["requester"]["email"] == "rita@example.test"
    kinds = [entry["kind"] for entry in body["thread"]]
    assert "note" in kinds and "response" in kinds and "message" in kinds
    as_key = client.get(f"/api/v1/tickets/{ticket.number}", headers=bearer(key_of("read"))).json()
    assert {entry["kind"] for entry in as_key["thread"]} == {"message", "response"}


def test_a_ticket_of_another_department_is_404(client, token_of, ivan, ticket):
    answer = client.get(f"/api/v1/tickets/{ticket.number}", headers=bearer(token_of(ivan)))
    assert answer.status_code == 404 and answer.json()["field"] == "number"
    assert client.get("/api/v1/tickets/999999", headers=bearer(token_of(ivan))).status_code == 404


def test_an_unchanged_ticket_answers_304_to_its_etag(client, token_of, sam, ticket):
    raw = token_of(sam)
    first = client.get(f"/api/v1/tickets/{ticket.number}", headers=bearer(raw))
    etag = first["ETag"]
    again = client.get(f"/api/v1/tickets/{ticket.number}", headers=bearer(raw) | {"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    post_reply(actor=sam, ticket=ticket, body="Changed.")
    changed = client.get(f"/api/v1/tickets/{ticket.number}", headers=bearer(raw) | {"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_list_takes_the_same_queries_for_many_tickets(
    client, token_of, sam, open_for, rita, support_topic, django_assert_max_num_queries
):
    raw = token_of(sam)
    open_for(rita, support_topic)
    client.get("/api/v1/tickets", headers=bearer(raw))  # warm the per-process caches
    with django_assert_max_num_queries(6) as few:
        client.get("/api/v1/tickets", headers=bearer(raw))
    for n in range(8):
        open_for(
            rita, support_topic, subject=f"More {n}", priority=Priority.objects.order_by("urgency")[n % 2]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(numbers(client.get("/api/v1/tickets", headers=bearer(raw)))) == 9


def test_a_ticket_takes_the_same_queries_however_long_its_thread(
    client, token_of, sam, ticket, django_assert_max_num_queries
):
    raw = token_of(sam)
    client.get(f"/api/v1/tickets/{ticket.number}", headers=bearer(raw))
    with django_assert_max_num_queries(8) as few:
        client.get(f"/api/v1/tickets/{ticket.number}", headers=bearer(raw))
    for n in range(6):
        post_reply(actor=sam, ticket=ticket, body=f"Reply {n}")
        add_note(actor=sam, ticket=ticket, body=f"Note {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"/api/v1/tickets/{ticket.number}", headers=bearer(raw)).json()["thread"]) > 12


def test_days_outside_the_filter_forms_range_are_422(client, key_of):
    answer = client.get("/api/v1/tickets?due_to=9999-12-31", headers=bearer(key_of("read")))
    assert (answer.status_code, answer.json()["field"]) == (422, "due_to")
