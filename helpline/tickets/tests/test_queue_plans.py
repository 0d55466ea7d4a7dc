"""Every queue's first page, in every sort the staff panel offers, is read from an index in page order.

A page of 25 must cost the same at a million tickets as at ten: no full scan of the table, and no sort of
all matching rows, except where the set is an agent's own workload ("My tickets" as one query, an OR of two
indexes, which its page reads in branches instead, below; the tickets they are mentioned in, read from
their mentions) or the overdue set sorted by something else than
its due time (all bounded by the work, not the table).
"""

import pytest
from django.db import connection

from helpline.people.models import Agent
from helpline.testsupport.factories import TeamFactory
from helpline.tickets.queries import QUEUES, queue_branches, queue_tickets

SORTS = ["updated_at", "created_at", "due_at", "urgency", "number"]
# (queue, sort) pairs allowed to sort their rows in memory, and why: see the module docstring.
SORTED_IN_MEMORY = {(queue, sort) for queue in ("mine", "mentioned") for sort in SORTS} | {
    ("overdue", sort) for sort in SORTS if sort != "due_at"
}


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # On a near-empty table PostgreSQL rightly prefers a scan; forbid scans and sorts so the plan
            # shows whether an index can serve the page at all (a forbidden node still appears if needed).
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def sorts_in_memory(plan: str) -> bool:
    return "TEMP B-TREE FOR ORDER BY" in plan or "Sort  (" in plan or "Sort Key" in plan


def scans_the_table(plan: str) -> bool:
    return "SCAN tickets_ticket" in plan.replace("COVERING INDEX", "") or "Seq Scan on tickets_ticket" in plan


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("queue", list(QUEUES))
def test_each_queue_page_reads_an_index(sam, ticket, queue, sort):
    page = queue_tickets(sam, queue).order_by(f"-{sort}", "-pk")[:26]
    plan = plan_of(page)
    assert not scans_the_table(plan), plan
    if (queue, sort) not in SORTED_IN_MEMORY:
        assert not sorts_in_memory(plan), plan


@pytest.mark.parametrize("sort", ["updated_at", "created_at", "urgency", "number"])
def test_a_later_page_seeks_into_the_index_too(sam, ticket, sort):
    """The cursor's condition is a range the index can seek to, not an OR that forces a walk from the start."""
    from django.test.utils import CaptureQueriesContext

    from helpline.core.pagination import encode_cursor, keyset_page

    cursor = encode_cursor(getattr(ticket, sort), ticket.pk)
    tickets = queue_tickets(sam, "open")  # looks up the agent's departments and teams first
    with CaptureQueriesContext(connection) as captured:
        keyset_page(tickets, field=sort, descending=True, cursor=cursor, size=25)
    (query,) = captured.captured_queries
    with connection.cursor() as db:
        prefix = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        if connection.vendor == "postgresql":
            db.execute("SET LOCAL enable_seqscan = off")
            db.execute("SET LOCAL enable_sort = off")
        db.execute(prefix + query["sql"])
        plan = "\n".join(str(row[-1]) for row in db.fetchall())
    assert not scans_the_table(plan), plan
    assert not sorts_in_memory(plan), plan
    if connection.vendor == "sqlite":
        column = {
            "updated_at": "updated_at",
            "created_at": "created_at",
            "urgency": "urgency",
            "number": "number",
        }
        assert f"{column[sort]}<" in plan.replace(" ", ""), plan  # a range on the sort column, after state=?


@pytest.mark.parametrize("sort", SORTS)
def test_my_tickets_is_read_a_branch_at_a_time_each_from_an_index_range(sam, ticket, sort):
    """As one query the OR of assignee and team has no index in page order (at a million tickets SQLite
    walked the whole table's updated_at index for it); the page is read in branches instead, the agent's
    own and each team's, a state at a time: each one range of an index, in page order where one exists."""
    sam.teams.add(TeamFactory(name="Printers"), TeamFactory(name="Network"))
    agent = Agent.objects.get(pk=sam.pk)  # its teams read anew
    branches = queue_branches(agent, "mine")
    assert len(branches) == 2 * 3  # open and pending; the agent's own and two teams'
    for branch in branches:
        plan = plan_of(queue_tickets(agent, "mine").filter(branch).order_by(f"-{sort}", "-pk")[:26])
        assert not scans_the_table(plan), plan
        if sort == "updated_at":
            assert not sorts_in_memory(plan), plan
    assert all(queue_branches(agent, queue) == [] for queue in QUEUES if queue != "mine")
