"""Opening tickets through the API: for a requester, routed by topic or department, with attachments that
are checked as the portal's uploads are."""

import base64

import pytest

from helpline.api.tests.conftest import bearer
from helpline.people.models import Department
from helpline.testsupport.factories import SLAPlanFactory
from helpline.tickets.models import Attachment, EntryKind, Source, Ticket

pytestmark = pytest.mark.django_db


def payload(**extra):
    return {
        "requester": {"email": "Walter@Example.test", "name": "Walter"},
        "subject": "Disk full",
        "body": "/var is full on db1.",
    } | extra


def post(client, raw, data):
    return client.post("/api/v1/tickets", data, content_type="application/json", headers=bearer(raw))


def test_a_create_key_opens_a_ticket_for_a_new_requester(client, key_of, support_topic, support):
    answer = post(client, key_of("tickets:create"), payload(topic_id=support_topic.pk))
    assert answer.status_code == 201, answer.content
    body = answer.json()
    ticket = Ticket.objects.get(number=body["number"])
    assert (ticket.department, ticket.source, ticket.requester.email) == (
        support,
        Source.API,
        "Walter@example.test",
    )
    assert body["department"] == {"id": support.pk, "name": "Support"}
    assert ticket.entries.get(event="created").data["entered_by"]["name"] == "API key Test key"


def test_attachments_arrive_as_base64_and_are_stored(client, key_of, support):
    data = payload(
        department_id=support.pk,
        attachments=[
            {"name": "df.txt", "content_type": "text/plain", "data": base64.b64encode(b"100%").decode()}
        ],
    )
    answer = post(client, key_of("tickets:create"), data)
    assert answer.status_code == 201, answer.content
    attachment = Attachment.objects.get()
    assert (attachment.filename, attachment.size, attachment.entry.kind) == ("df.txt", 4, EntryKind.MESSAGE)


@pytest.mark.parametrize(
    ("attachment", "status", "field"),
    [
        ({"name": "x.txt", "data": "not base64!"}, 422, "attachments.0.data"),
        ({"name": "page.html", "data": base64.b64encode(b"<script>").decode()}, 422, "attachments.0"),
        ({"name": "empty.txt", "data": ""}, 422, "attachments.0"),
    ],
)
def test_bad_attachments_are_refused_naming_them(client, key_of, support, attachment, status, field):
    answer = post(
        client, key_of("tickets:create"), payload(department_id=support.pk, attachments=[attachment])
    )
    assert (answer.status_code, answer.json()["field"]) == (status, field)
    assert not Ticket.objects.exists()


def test_an_attachment_over_the_size_limit_is_413(client, key_of, support, settings):
    settings.HELPLINE_MAX_ATTACHMENT_BYTES = 10
    data = payload(
        department_id=support.pk,
        attachments=[{"name": "big.log", "data": base64.b64encode(b"x" * 40).decode()}],
    )
    answer = post(client, key_of("tickets:create"), data)
    assert answer.status_code == 413 and answer.json()["field"] == "attachments.0.data"


def test_a_body_over_the_request_limit_is_413(client, key_of, support, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answer = post(client, key_of("tickets:create"), payload(department_id=support.pk, body="x" * 2000))
    assert answer.status_code == 413


def test_invalid_input_is_422_naming_the_field(client, key_of, support):
    raw = key_of("tickets:create")
    missing = post(
        client, raw, {"requester": {"email": "a@example.test"}, "body": "x", "department_id": support.pk}
    )
    assert (missing.status_code, missing.json()["field"]) == (422, "subject")
    bad_email = post(client, raw, payload(department_id=support.pk, requester={"email": "nobody"}))
    assert (bad_email.status_code, bad_email.json()["field"]) == (422, "requester.email")
    nowhere = post(client, raw, payload())
    assert (nowhere.status_code, nowhere.json()["field"]) == (422, "topic_id")
    unknown = post(client, raw, payload(department_id=999999))
    assert (unknown.status_code, unknown.json()["field"]) == (422, "department_id")


def test_malformed_json_is_400(client, key_of):
    answer = client.post(
        "/api/v1/tickets",
        "{not json",
        content_type="application/json",
        headers=bearer(key_of("tickets:create")),
    )
    assert answer.status_code == 400 and answer.json()["detail"] == "Cannot parse request body"


def test_a_read_key_may_not_open_tickets(client, key_of, support):
    answer = post(client, key_of("read"), payload(department_id=support.pk))
    assert answer.status_code == 403 and not Ticket.objects.exists()


def test_an_agent_token_opens_where_the_agent_may(client, token_of, lena, sam, support, it_department):
    assert post(client, token_of(sam), payload(department_id=support.pk)).status_code == 201
    refused = post(client, token_of(sam), payload(department_id=it_department.pk))
    assert refused.status_code == 403 and "may not open tickets in IT" in refused.json()["detail"]


def test_nul_characters_and_ids_past_the_databases_range_are_422(client, key_of, support):
    raw = key_of("tickets:create")
    nul = post(client, raw, payload(department_id=support.pk, subject="Disk\x00full"))
    assert nul.status_code == 422 and "Null characters" in nul.json()["detail"]
    huge = post(client, raw, payload(department_id=2**63))
    assert (huge.status_code, huge.json()["field"]) == (422, "department_id")
    assert not Ticket.objects.exists()


def test_the_rows_named_by_id_follow_each_change_at_once(client, key_of, support):
    """The department, topic, priority and plan named by id are kept in the process
    (``core.configuration``): a rename, a removal and a row made after an unknown id show on the next call."""
    raw = key_of("tickets:create")
    assert post(client, raw, payload(department_id=support.pk)).json()["department"]["name"] == "Support"
    Department.objects.filter(pk=support.pk).update(name="Customer support")
    assert (
        post(client, raw, payload(department_id=support.pk)).json()["department"]["name"]
        == "Customer support"
    )
    plan = SLAPlanFactory()
    assert post(client, raw, payload(department_id=support.pk, sla_plan_id=plan.pk)).status_code == 201
    unknown = plan.pk
    Ticket.objects.filter(sla_plan=plan).delete()
    plan.delete()
    refused = post(client, raw, payload(department_id=support.pk, sla_plan_id=unknown))
    assert refused.status_code == 422
    assert "sla_plan_id" in refused.content.decode()
    SLAPlanFactory(pk=unknown)
    answer = post(client, raw, payload(department_id=support.pk, sla_plan_id=unknown))
    assert answer.status_code == 201, answer.content
    assert Ticket.objects.get(number=answer.json()["number"]).sla_plan_id == unknown
