"""What an agent's personal token may do beyond the tickets' own actions, as the staff panel lets the agent:
only an administrator's token changes requesters and organizations (each change audit-logged as the
administration area logs it), a non-administrator reads only the people of the tickets they see, and a
ticket they open is routed no further than their permissions in its department reach."""

import pytest

from helpline.api.tests.conftest import bearer
from helpline.audit.models import AuditEntry
from helpline.people.models import Organization, Requester, Role
from helpline.testsupport.factories import AgentFactory, TeamFactory, UserFactory
from helpline.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def send(client, method, raw, path, data=None):
    return getattr(client, method)(
        f"/api/v1/{path}", data, content_type="application/json", headers=bearer(raw)
    )


# Requesters and organizations ---------------------------------------------------------------------------


@pytest.fixture
def acme(db):
    return Organization.objects.create(name="Acme")


@pytest.mark.parametrize("persona", ["lena", "sam"])
def test_a_token_of_an_agent_who_is_no_administrator_changes_no_people(
    client, token_of, rita, acme, persona, request
):
    raw = token_of(request.getfixturevalue(persona))
    attempts = [
        send(client, "post", raw, "requesters", {"email": "new@example.test", "name": "New"}),
        send(client, "patch", raw, f"requesters/{rita.pk}", {"name": "Hacked", "phone": "1"}),
        send(client, "post", raw, "organizations", {"name": "Evil"}),
        send(client, "patch", raw, f"organizations/{acme.pk}", {"name": "Evil"}),
    ]
    for answer in attempts:
        assert answer.status_code == 403, answer.content
        assert "administrators" in answer.json()["detail"]
    rita.refresh_from_db()
    assert (rita.name, rita.phone) == ("Rita Requester", "")
    assert list(Organization.objects.values_list("name", flat=True)) == ["Acme"]
    assert not Requester.objects.filter(email="new@example.test").exists()
    assert not AuditEntry.objects.filter(target_type__in=["requester", "organization"]).exists()


def test_an_administrators_token_changes_people_and_each_change_is_audited(client, token_of, ada, rita):
    raw = token_of(ada)
    org = send(client, "post", raw, "organizations", {"name": "Acme"})
    assert org.status_code == 201, org.content
    renamed = send(client, "patch", raw, f"organizations/{org.json()['id']}", {"name": "Acme Corp"})
    assert renamed.json()["name"] == "Acme Corp"
    created = send(client, "post", raw, "requesters", {"email": "wile@acme.test", "name": "Wile"})
    assert created.status_code == 201, created.content
    changed = send(
        client,
        "patch",
        raw,
        f"requesters/{rita.pk}",
        {"phone": "555-0100", "organization_id": org.json()["id"]},
    )
    assert changed.status_code == 200 and changed.json()["organization"]["name"] == "Acme Corp"

    records = {
        entry.action: entry
        for entry in AuditEntry.objects.filter(actor_kind="agent", actor_id=ada.pk).order_by("at", "id")
    }
    assert set(records) == {
        "organization.created",
        "organization.changed",
        "requester.created",
        "requester.changed",
    }
    assert records["organization.changed"].data == {
        "before": {"name": "Acme"},
        "after": {"name": "Acme Corp"},
    }
    assert records["requester.created"].target_id == str(created.json()["id"])
    assert records["requester.changed"].data == {
        "before": {"phone": "", "organization": None},
        "after": {"phone": "555-0100", "organization": "Acme Corp"},
    }
    # Saving what is there already changes nothing and records nothing, as in the administration area.
    send(client, "patch", raw, f"requesters/{rita.pk}", {"phone": "555-0100"})
    assert AuditEntry.objects.filter(action="requester.changed").count() == 1


def test_a_write_key_still_changes_people_in_its_own_name(client, key_of, rita):
    raw = key_of("write")
    assert send(client, "post", raw, "organizations", {"name": "Acme"}).status_code == 201
    assert send(client, "patch", raw, f"requesters/{rita.pk}", {"name": "Rita R."}).status_code == 200
    assert Requester.objects.get(pk=rita.pk).name == "Rita R."
    changed = AuditEntry.objects.get(action="requester.changed")
    assert (changed.actor_name, changed.data["after"]) == ("API key Test key", {"name": "Rita R."})
    assert AuditEntry.objects.filter(action="organization.created", target_repr="Acme").exists()


def test_an_agents_token_reads_only_the_people_of_the_tickets_they_see(
    client, token_of, key_of, lena, ada, rita, acme, open_for, support_topic
):
    stranger = Requester.objects.create(name="Stranger", email="stranger@example.test", organization=acme)
    raw = token_of(lena)
    assert send(client, "get", raw, "requesters").json()["items"] == []
    assert send(client, "get", raw, f"requesters/{stranger.pk}").status_code == 404
    assert send(client, "get", raw, f"organizations/{acme.pk}").status_code == 404

    rita.organization = acme
    rita.save(update_fields=["organization"])
    open_for(rita, support_topic)  # a Support ticket: Lena sees it, and so its requester
    names = [r["name"] for r in send(client, "get", raw, "requesters").json()["items"]]
    assert names == ["Rita Requester"]
    assert send(client, "get", raw, f"requesters/{rita.pk}").status_code == 200
    assert [o["name"] for o in send(client, "get", raw, "organizations").json()["items"]] == ["Acme"]
    for everyone in (token_of(ada), key_of("read")):
        listed = send(client, "get", everyone, "requesters").json()["items"]
        assert {r["name"] for r in listed} == {"Rita Requester", "Stranger"}


# Routing a ticket an agent opens ------------------------------------------------------------------------


@pytest.fixture
def otto(support):
    """Otto, a Support agent whose role opens tickets but neither assigns them nor edits their SLA."""
    role = Role.objects.create(name="Opener", permissions=["view", "reply", "note", "create"])
    return AgentFactory(
        user=UserFactory(username="otto", first_name="Otto", email="otto@staff.example.test"),
        departments=[support],
        departments__role=role,
    )


def ticket_payload(**routing):
    return {
        "requester": {"email": "walter@example.test", "name": "Walter"},
        "subject": "Disk full",
        "body": "/var is full on db1.",
    } | routing


@pytest.mark.parametrize(
    ("field", "value"),
    [("assignee_id", "sam"), ("team_id", "team"), ("sla_plan_id", "sla_plan")],
)
def test_a_token_without_the_permission_opens_no_ticket_routed_past_it(
    client, token_of, otto, sam, sla_plan, support_topic, field, value, request
):
    chosen = TeamFactory(name="Printers") if value == "team" else request.getfixturevalue(value)
    answer = send(
        client,
        "post",
        token_of(otto),
        "tickets",
        ticket_payload(topic_id=support_topic.pk, **{field: chosen.pk}),
    )
    assert answer.status_code == 403, answer.content
    assert answer.json()["field"] == field
    assert not Ticket.objects.exists()
    assert not Requester.objects.filter(email="walter@example.test").exists()


def test_without_assign_an_agent_still_takes_the_ticket_and_sets_its_priority_as_in_the_staff_form(
    client, token_of, otto, support
):
    from helpline.catalog.models import Priority

    top = Priority.objects.order_by("-urgency").first()
    data = ticket_payload(department_id=support.pk, assignee_id=otto.pk, priority_id=top.pk)
    answer = send(client, "post", token_of(otto), "tickets", data)
    assert answer.status_code == 201, answer.content
    ticket = Ticket.objects.get(number=answer.json()["number"])
    assert (ticket.assignee, ticket.priority) == (otto, top)


def test_with_the_permissions_an_agent_routes_the_ticket_to_someone_else(
    client, token_of, sam, lena, sla_plan, support
):
    team = TeamFactory(name="Printers")
    data = ticket_payload(
        department_id=support.pk, assignee_id=lena.pk, team_id=team.pk, sla_plan_id=sla_plan.pk
    )
    answer = send(client, "post", token_of(sam), "tickets", data)
    assert answer.status_code == 201, answer.content
    ticket = Ticket.objects.get(number=answer.json()["number"])
    assert (ticket.assignee, ticket.team, ticket.sla_plan) == (lena, team, sla_plan)


def test_a_create_key_routes_as_it_likes(client, key_of, lena, support):
    data = ticket_payload(department_id=support.pk, assignee_id=lena.pk)
    answer = send(client, "post", key_of("tickets:create"), "tickets", data)
    assert answer.status_code == 201, answer.content
    assert Ticket.objects.get(number=answer.json()["number"]).assignee == lena
