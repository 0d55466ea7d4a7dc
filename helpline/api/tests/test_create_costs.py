"""What opening a ticket through the API's two doors costs, and that answering from the ticket the action
left (not read again) answers what reading it back answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpline.api.tests.conftest import bearer
from helpline.catalog.models import State, TicketStatus
from helpline.people.models import Organization
from helpline.routing.models import ActionKind as A
from helpline.routing.models import ConditionField as F
from helpline.routing.models import Operator as O
from helpline.testsupport.factories import RequesterFactory, SLAPlanFactory, TeamFactory
from helpline.webhooks.models import Delivery

pytestmark = pytest.mark.django_db

# The v1 create: the key and its use, the requester (found, then created in a savepoint), the department
# defaults, the filter rules, the first status, the priority, the desk's settings, the ticket (in a
# savepoint), two thread entries, the notifications owed, the webhooks, and the transaction itself.
V1_CREATE_QUERIES = 21
# osTicket's create: the same, with the default mailbox and department for a request without a topic.
OSTICKET_CREATE_QUERIES = 22


def create(client, raw, **extra):
    data = {
        "requester": {"email": "walter@example.test", "name": "Walter"},
        "subject": "Disk full",
        "body": "/var is full on db1.",
    } | extra
    return client.post("/api/v1/tickets", data, content_type="application/json", headers=bearer(raw))


def read_back(client, raw, number):
    answer = client.get(f"/api/v1/tickets/{number}", headers=bearer(raw))
    assert answer.status_code == 200, answer.content
    return {name: value for name, value in answer.json().items() if name != "thread"}


def test_the_answer_to_a_create_is_the_ticket_as_stored(
    client, key_of, token_of, support, support_topic, sam
):
    team, plan = TeamFactory(name="Storage"), SLAPlanFactory(name="Sev-B")
    RequesterFactory(email="walter@example.test", organization=Organization.objects.create(name="Acme"))
    routed = {"topic_id": support_topic.pk, "assignee_id": sam.pk, "team_id": team.pk, "sla_plan_id": plan.pk}
    answer = create(client, key_of("tickets:create"), **routed)
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert created["assignee"]["name"] and created["requester"]["organization"]["name"] == "Acme"
    assert created == read_back(client, token_of(sam), created["number"])


def test_a_ticket_a_rule_closes_on_opening_is_answered_closed(
    client, key_of, token_of, make_rule, support, sam
):
    closed = TicketStatus.objects.filter(state=State.CLOSED).first()
    make_rule(
        "Spam",
        conditions=[(F.SUBJECT, O.CONTAINS, "Disk")],
        actions=[(A.CANNED_REPLY, "Thanks, we are on it."), (A.SET_STATUS, closed)],
    )
    answer = create(client, key_of("tickets:create"), department_id=support.pk)
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert created["state"] == State.CLOSED
    assert created == read_back(client, token_of(sam), created["number"])


def test_a_v1_create_costs_a_fixed_number_of_queries(client, key_of, support, django_assert_max_num_queries):
    raw = key_of("tickets:create")
    assert create(client, raw, department_id=support.pk).status_code == 201  # the key's first use recorded
    with django_assert_max_num_queries(V1_CREATE_QUERIES):
        answer = create(client, raw, department_id=support.pk, requester={"email": "new@example.test"})
    assert answer.status_code == 201, answer.content


def test_an_osticket_create_costs_a_fixed_number_of_queries(
    client, key_of, support, django_assert_max_num_queries
):
    raw = key_of("tickets:create")
    request = {
        "name": "Walter",
        "email": "walter@example.test",
        "subject": "Disk full",
        "message": "/var is full.",
    }

    def post(**extra):
        return client.post(
            "/api/tickets.json", request | extra, content_type="application/json", headers={"X-API-Key": raw}
        )

    assert post().status_code == 201
    with django_assert_max_num_queries(OSTICKET_CREATE_QUERIES):
        answer = post(email="new@example.test")
    assert answer.status_code == 201, answer.content


def hook_reads(queries) -> int:
    return sum(1 for query in queries if query["sql"].startswith('SELECT "webhooks_webhook"'))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_hooks_are_read_once_per_request_and_again_by_the_next(client, key_of, support, make_hook):
    raw = key_of("tickets:create")
    with CaptureQueriesContext(connection) as first:
        assert create(client, raw, department_id=support.pk).status_code == 201
    # Its two entries (the opening and the message) are announced once it has committed: one read.
    assert hook_reads(first.captured_queries) == 1
    hook = make_hook(events=["ticket.created"])
    answer = create(client, raw, department_id=support.pk)
    assert answer.status_code == 201, answer.content
    assert Delivery.objects.filter(webhook=hook, event_type="ticket.created").count() == 1
