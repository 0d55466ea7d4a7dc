"""Requesters and organizations (create, get, list in keyset pages, update) and the reference lists."""

import pytest

from helpline.api.tests.conftest import bearer
from helpline.people.models import Organization, Requester

pytestmark = pytest.mark.django_db


def send(client, method, raw, path, data=None):
    return getattr(client, method)(
        f"/api/v1/{path}", data, content_type="application/json", headers=bearer(raw)
    )


def test_requesters_are_created_read_listed_and_updated(client, key_of, rita):
    raw = key_of("read", "write")
    acme = send(client, "post", raw, "organizations", {"name": "Acme"}).json()
    created = send(
        client,
        "post",
        raw,
        "requesters",
        {"email": "wile@acme.test", "name": "Wile", "organization_id": acme["id"]},
    )
    assert created.status_code == 201 and created.json()["organization"] == {"id": acme["id"], "name": "Acme"}
    pk = created.json()["id"]
    assert client.get(f"/api/v1/requesters/{pk}", headers=bearer(raw)).json()["email"] == "wile@acme.test"
    changed = send(client, "patch", raw, f"requesters/{pk}", {"phone": "555-0100", "organization_id": None})
    assert changed.json()["phone"] == "555-0100" and changed.json()["organization"] is None
    assert Requester.objects.get(pk=pk).name == "Wile"
    found = client.get("/api/v1/requesters?email=WILE@acme.test", headers=bearer(raw)).json()["items"]
    assert [r["id"] for r in found] == [pk]


def test_a_taken_address_or_name_is_409(client, key_of, rita):
    raw = key_of("write")
    taken = send(client, "post", raw, "requesters", {"email": "RITA@example.test", "name": "Other"})
    assert (taken.status_code, taken.json()["field"]) == (409, "email")
    Organization.objects.create(name="Acme")
    assert send(client, "post", raw, "organizations", {"name": "acme"}).status_code == 409


def test_requester_lists_page_by_name(client, key_of):
    for name in "DCBAE":
        Requester.objects.create(name=name, email=f"{name}@example.test")
    raw, names, cursor = key_of("read"), [], None
    while True:
        page = client.get(
            "/api/v1/requesters", {"limit": 2, **({"cursor": cursor} if cursor else {})}, headers=bearer(raw)
        ).json()
        names += [r["name"] for r in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert names == list("ABCDE")


def test_reading_people_takes_read_and_changing_them_write(client, key_of, rita):
    assert client.get(f"/api/v1/requesters/{rita.pk}", headers=bearer(key_of("write"))).status_code == 403
    assert send(client, "patch", key_of("read"), f"requesters/{rita.pk}", {"name": "X"}).status_code == 403
    assert client.get("/api/v1/requesters/999999", headers=bearer(key_of("read"))).status_code == 404
    assert client.get("/api/v1/organizations/999999", headers=bearer(key_of("read"))).status_code == 404


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("departments", {"Support", "IT"}),
        ("help-topics", {"General inquiry", "Network problem"}),
        ("sla-plans", {"Sev-B"}),
        ("teams", set()),
        ("agents", {"Sam", "Ivan"}),
    ],
)
def test_reference_lists(client, key_of, support_topic, it_topic, sam, ivan, path, expected):
    answer = client.get(f"/api/v1/{path}", headers=bearer(key_of("read")))
    assert answer.status_code == 200
    assert {row["name"] for row in answer.json()} == expected
    assert client.get(f"/api/v1/{path}", headers=bearer(key_of("tickets:create"))).status_code == 403


def test_statuses_and_priorities(client, key_of):
    raw = key_of("read")
    states = {row["state"] for row in client.get("/api/v1/statuses", headers=bearer(raw)).json()}
    assert states == {"open", "pending", "resolved", "closed"}
    urgencies = [row["urgency"] for row in client.get("/api/v1/priorities", headers=bearer(raw)).json()]
    assert urgencies == sorted(urgencies) and urgencies


def test_organizations_are_listed_by_name_and_read_and_renamed(client, key_of):
    raw = key_of("read", "write")
    for name in ("Globex", "Acme"):
        Organization.objects.create(name=name)
    page = client.get("/api/v1/organizations", headers=bearer(raw)).json()
    assert [o["name"] for o in page["items"]] == ["Acme", "Globex"] and page["next_cursor"] is None
    acme = page["items"][0]["id"]
    assert client.get(f"/api/v1/organizations/{acme}", headers=bearer(raw)).json()["name"] == "Acme"
    renamed = send(client, "patch", raw, f"organizations/{acme}", {"name": "Acme Corp"})
    assert renamed.json()["name"] == "Acme Corp"
    assert send(client, "patch", raw, f"organizations/{acme}", {"name": "globex"}).status_code == 409
