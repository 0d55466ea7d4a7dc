"""A filtered list's first page is read from an index, never by scanning the ticket table: each filter on one
column (department, help topic, status, priority, assignee, team, source) within a queue's state is an
index range in the default order (newest change first), so the page needs no sort either. The filters
that reach through the requester (their address, their organization) and the date ranges read an index and
sort what they found: bounded by that requester's or organization's tickets, or by the queue's."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpline.catalog.models import State
from helpline.staff.filters import TicketFilters
from helpline.staff.models import SavedQueue
from helpline.staff.saved_queues import navigation
from helpline.tickets.models import Ticket
from helpline.tickets.queries import queue_tickets
from helpline.tickets.search import search_tickets
from helpline.tickets.tests.test_queue_plans import plan_of, scans_the_table, sorts_in_memory

# Queues with one state: a filter on one column is then an equality on (column, state) and the page an
# index range in order. ("Mine" is an agent's workload, "Overdue" a range of due times: see test_queue_plans.)
ONE_STATE_QUEUES = ["open", "pending", "resolved", "closed", "unassigned"]
INDEXED = {
    "department": "department_id",
    "topic": "topic_id",
    "status": "status_id",
    "priority": "priority_id",
    "assignee": "assignee_id",
    "team": "team_id",
    "source": "source",
}


def filters_on(name: str, ticket) -> TicketFilters:
    if name == "assignee":
        return TicketFilters(assignee=str(ticket.assignee_id or 1))
    if name == "source":
        return TicketFilters(source="email")
    return TicketFilters(**{name: getattr(ticket, f"{name}_id") or 1})


def first_page(sam, queue: str, filters: TicketFilters, order=("-updated_at", "-pk")):
    return filters.apply(queue_tickets(sam, queue), sam).order_by(*order)[:26]


def index_conditions(plan: str) -> str:
    """The part of the plan that says which columns an index is searched by."""
    lines = plan.splitlines()
    if connection.vendor == "postgresql":
        return "\n".join(line for line in lines if "Index Cond" in line)
    return "\n".join(line for line in lines if "USING INDEX" in line or "USING COVERING INDEX" in line)


@pytest.mark.parametrize("queue", ONE_STATE_QUEUES)
@pytest.mark.parametrize("name", list(INDEXED))
def test_a_filter_on_one_column_is_an_index_range_in_page_order(sam, ticket, queue, name):
    if connection.vendor == "postgresql":
        # On a near-empty table PostgreSQL may walk the state's own index and filter, depending on what
        # statistics earlier tests left; at scale the filter's index is far narrower. Set the state's
        # index and the any-state one (the API's) aside, inside this test's transaction, to ask whether the
        # filter's index serves the page.
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX ticket_state_updated")
            cursor.execute("DROP INDEX ticket_updated")
    plan = plan_of(first_page(sam, queue, filters_on(name, ticket)))
    assert not scans_the_table(plan), plan
    assert not sorts_in_memory(plan), plan
    if queue == "unassigned" and name in ("assignee", "team"):
        return  # that queue already asks for neither: its own (team, state) range is as narrow
    assert INDEXED[name] in index_conditions(plan), plan


def crowd_every_state(ticket, per_state: int = 30) -> None:
    """Tickets of nobody in every state, and fresh statistics, for PostgreSQL to count: with one ticket
    the state's range and the agent's range both expect one row and cost the same, and which of two equal
    plans it keeps depends on the order it happened to meet the indexes in (other tests changed it)."""
    base = {field.attname: getattr(ticket, field.attname) for field in Ticket._meta.concrete_fields}
    del base["id"]
    crowd = [
        Ticket(**base | {"number": f"{9_000_000 + n * 10 + i}", "state": state, "assignee_id": None})
        for i, state in enumerate(State)
        for n in range(per_state)
    ]
    Ticket.objects.bulk_create(crowd)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tickets_ticket")


@pytest.mark.parametrize("queue", ONE_STATE_QUEUES)
def test_unassigned_and_mine_are_index_ranges_too(sam, ticket, queue):
    if connection.vendor == "postgresql":
        crowd_every_state(ticket)
    for filters in (TicketFilters(assignee="none"), TicketFilters(assignee="me")):
        plan = plan_of(first_page(sam, queue, filters))
        assert not scans_the_table(plan), plan
        assert not sorts_in_memory(plan), plan
        if queue == "unassigned" or (filters.assignee == "none" and connection.vendor == "postgresql"):
            # The unassigned queue already asks for nobody (and no team): its own ranges are as narrow.
            # PostgreSQL, knowing nothing of how many tickets have nobody, may as well walk the state's.
            continue
        assert "assignee_id" in index_conditions(plan), plan


@pytest.mark.parametrize("queue", ["open", "closed", "mine", "overdue"])
@pytest.mark.parametrize(
    "filters",
    [
        TicketFilters(requester="rita@example.test"),
        TicketFilters(organization="ACME"),
        TicketFilters(created_from=date(2026, 1, 1)),
        TicketFilters(updated_to=date(2026, 1, 1)),
        TicketFilters(due_from=date(2026, 1, 1)),
        TicketFilters(overdue=True),
        TicketFilters(priority=1, assignee="none", source="web", created_from=date(2026, 1, 1)),
    ],
    ids=lambda filters: "-".join(filters.to_params()),
)
def test_every_other_filter_reads_an_index(sam, ticket, queue, filters):
    for order in (("-updated_at", "-pk"), ("-created_at", "-pk"), ("due_at", "pk")):
        plan = plan_of(first_page(sam, queue, filters, order))
        assert not scans_the_table(plan), plan


@pytest.mark.parametrize("text", ["rita@example.test", "12345678"])
def test_filtered_search_results_read_an_index(sam, ticket, text):
    filters = TicketFilters(priority=1, assignee="none", created_from=date(2026, 1, 1))
    for order in (("-created_at", "-pk"), ("-updated_at", "-pk")):
        plan = plan_of(filters.apply(search_tickets(sam, text), sam).order_by(*order)[:26])
        assert not scans_the_table(plan), plan


def test_the_navigation_counts_read_indexes(sam, ticket):
    for n, filters in enumerate([{"priority": "1"}, {"assignee": "me"}, {"source": "phone"}, {}]):
        SavedQueue.objects.create(owner=sam, name=f"q{n}", base="open", filters=filters)
    with CaptureQueriesContext(connection) as captured:
        queues, _more = navigation(sam)
    assert len(queues) == 4
    count_query = captured.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + count_query)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + count_query)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert not scans_the_table(plan), plan
