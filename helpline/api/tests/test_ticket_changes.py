"""Changing tickets through the API: each change through its action, as the caller; the write scope for
keys, the agent's own permissions for tokens; 404 for what the caller cannot see, 409 on a stale If-Match."""

import pytest

from helpline.api.tests.conftest import bearer
from helpline.catalog.models import Priority, State, TicketStatus
from helpline.tickets.models import EntryKind, Ticket

pytestmark = pytest.mark.django_db


def post(client, raw, path, data, **headers):
    return client.post(
        f"/api/v1/tickets/{path}", data, content_type="application/json", headers=bearer(raw) | headers
    )


def test_a_write_key_replies_in_its_own_name(client, key_of, ticket):
    answer = post(client, key_of("write"), f"{ticket.number}/reply", {"body": "Fixed by deploy 42."})
    assert answer.status_code == 201, answer.content
    assert (answer.json()["kind"], answer.json()["author_name"]) == ("response", "API key Test key")
    assert ticket.entries.filter(kind=EntryKind.RESPONSE, body_text="Fixed by deploy 42.").exists()


def test_a_reply_can_set_the_status(client, token_of, sam, ticket):
    resolved = TicketStatus.default_for(State.RESOLVED)
    answer = post(
        client, token_of(sam), f"{ticket.number}/reply", {"body": "Done.", "status_id": resolved.pk}
    )
    assert answer.status_code == 201
    assert Ticket.objects.get(pk=ticket.pk).state == State.RESOLVED


def test_a_read_key_changes_nothing(client, key_of, ticket):
    answer = post(client, key_of("read"), f"{ticket.number}/reply", {"body": "Hello"})
    assert answer.status_code == 403 and "'write' scope" in answer.json()["detail"]


def test_an_agent_token_adds_notes_a_key_writes_too(client, token_of, key_of, sam, ticket):
    answer = post(client, token_of(sam), f"{ticket.number}/notes", {"body": "Checked the logs."})
    assert (answer.status_code, answer.json()["kind"], answer.json()["author_name"]) == (201, "note", "Sam")


def test_assign_transfer_status_priority_and_plan(
    client, token_of, ada, sam, ticket, it_department, sla_plan
):
    raw = token_of(ada)
    assigned = post(client, raw, f"{ticket.number}/assign", {"agent_id": sam.pk})
    assert assigned.status_code == 200 and assigned.json()["assignee"]["id"] == sam.pk
    pending = TicketStatus.default_for(State.PENDING)
    assert (
        post(client, raw, f"{ticket.number}/status", {"status_id": pending.pk}).json()["state"] == "pending"
    )
    top = Priority.objects.order_by("-urgency").first()
    assert (
        post(client, raw, f"{ticket.number}/priority", {"priority_id": top.pk}).json()["priority"]["id"]
        == top.pk
    )
    assert post(client, raw, f"{ticket.number}/sla-plan", {"sla_plan_id": None}).json()["sla_plan"] is None
    assert (
        post(client, raw, f"{ticket.number}/sla-plan", {"sla_plan_id": sla_plan.pk}).json()["sla_plan"]["id"]
        == sla_plan.pk
    )
    moved = post(client, raw, f"{ticket.number}/transfer", {"department_id": it_department.pk})
    assert moved.json()["department"]["id"] == it_department.pk
    unassigned = post(client, raw, f"{ticket.number}/assign", {"agent_id": None})
    assert unassigned.json()["assignee"] is None


def test_the_agents_own_permissions_decide(client, token_of, lena, ticket, it_department):
    # Lena's role (Limited) lets her view, reply and note, not transfer.
    answer = post(client, token_of(lena), f"{ticket.number}/transfer", {"department_id": it_department.pk})
    assert answer.status_code == 403 and Ticket.objects.get(pk=ticket.pk).department_id != it_department.pk


def test_a_ticket_the_agent_cannot_see_is_404_for_changes_too(client, token_of, ivan, ticket):
    answer = post(client, token_of(ivan), f"{ticket.number}/notes", {"body": "Hi"})
    assert answer.status_code == 404 and not ticket.entries.filter(kind=EntryKind.NOTE).exists()


def test_unknown_rows_are_422_naming_the_field(client, token_of, ada, ticket):
    answer = post(client, token_of(ada), f"{ticket.number}/status", {"status_id": 999999})
    assert (answer.status_code, answer.json()["field"]) == (422, "status_id")


def test_a_stale_if_match_is_409_and_a_current_one_goes_through(client, token_of, ada, ticket):
    raw = token_of(ada)
    etag = client.get(f"/api/v1/tickets/{ticket.number}", headers=bearer(raw))["ETag"]
    top, low = Priority.objects.order_by("-urgency")[:2]
    assert (
        post(
            client, raw, f"{ticket.number}/priority", {"priority_id": top.pk}, **{"If-Match": etag}
        ).status_code
        == 200
    )
    stale = post(client, raw, f"{ticket.number}/priority", {"priority_id": low.pk}, **{"If-Match": etag})
    assert stale.status_code == 409
    assert Ticket.objects.get(pk=ticket.pk).priority == top
    bad = post(client, raw, f"{ticket.number}/priority", {"priority_id": low.pk}, **{"If-Match": "soon"})
    assert bad.status_code == 400


def test_an_if_match_of_digits_no_version_has_is_400(client, token_of, ada, ticket):
    raw = token_of(ada)
    low = Priority.objects.order_by("urgency").first()
    for given in ("²", f"{ticket.number}.²", "9" * 30):
        bad = post(client, raw, f"{ticket.number}/priority", {"priority_id": low.pk}, **{"If-Match": given})
        assert bad.status_code == 400, given


def test_merge_moves_the_conversation_and_refuses_twice(
    client, token_of, ada, ticket, open_for, rita, support_topic
):
    other = open_for(rita, support_topic, subject="Printer again")
    raw = token_of(ada)
    answer = post(client, raw, f"{other.number}/merge", {"into": ticket.number})
    assert answer.status_code == 200 and answer.json()["number"] == ticket.number
    assert Ticket.objects.get(pk=other.pk).merged_into_id == ticket.pk
    again = post(client, raw, f"{other.number}/merge", {"into": ticket.number})
    assert again.status_code in (403, 409)
    assert post(client, raw, f"{ticket.number}/merge", {"into": "nope"}).json()["field"] == "into"
