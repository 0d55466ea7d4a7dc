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

# The v1 create: the key, the requester (found, then created), the ticket, two thread entries and the two
# notifications owed (an INSERT each, core.prepared_inserts). The department named by id, the first status,
# the priority, the desk's settings, the department's defaults and whether any filter rule is active are
# kept in the process (core.configuration): a read of the token each, and one for each of the two entries,
# asking whether a webhook is active (webhooks.outbox.note_entry).
V1_ROW_QUERIES, TOKEN_READS = 8, 8
# osTicket's create: the same; where a request without a topic goes (the default mailbox's routing) is kept
# in the process in the department's stead.
OSTICKET_ROW_QUERIES, OSTICKET_TOKEN_READS = 9, 8
# The transaction's savepoints: the request's, the requester's, the opening's, the ticket number's.
SAVEPOINTS = 8


def assert_costs(queries, row_queries: int, token_reads: int = TOKEN_READS) -> None:
    sql = [query["sql"] for query in queries]
    tokens = [q for q in sql if "core_configurationversion" in q]
    savepoints = [q for q in sql if q.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(sql) - len(tokens) - len(savepoints) <= row_queries, sql
    assert len(tokens) <= token_reads, sql
    assert len(savepoints) <= SAVEPOINTS, sql


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
    with django_assert_max_num_queries(V1_ROW_QUERIES + TOKEN_READS + SAVEPOINTS) as done:
        answer = create(client, raw, department_id=support.pk, requester={"email": "new@example.test"})
    assert answer.status_code == 201, answer.content
    assert_costs(done.captured_queries, V1_ROW_QUERIES)


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
    with django_assert_max_num_queries(OSTICKET_ROW_QUERIES + OSTICKET_TOKEN_READS + SAVEPOINTS) as done:
        answer = post(email="new@example.test")
    assert answer.status_code == 201, answer.content
    assert_costs(done.captured_queries, OSTICKET_ROW_QUERIES, OSTICKET_TOKEN_READS)


def hook_reads(queries) -> int:
    return sum(1 for query in queries if query["sql"].startswith('SELECT "webhooks_webhook"'))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_hooks_are_read_again_only_once_one_changed(client, key_of, support, make_hook):
    raw = key_of("tickets:create")
    assert create(client, raw, department_id=support.pk).status_code == 201
    with CaptureQueriesContext(connection) as unchanged:
        assert create(client, raw, department_id=support.pk).status_code == 201
    # Its two entries (the opening and the message) were announced once it had committed.
    assert hook_reads(unchanged.captured_queries) == 0
    hook = make_hook(events=["ticket.created"])
    answer = create(client, raw, department_id=support.pk)
    assert answer.status_code == 201, answer.content
    assert Delivery.objects.filter(webhook=hook, event_type="ticket.created").count() == 1
