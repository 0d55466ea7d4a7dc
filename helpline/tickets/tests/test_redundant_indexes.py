"""The tables every new ticket writes to keep no index another one makes redundant: each index is updated
on every row written, and one whose columns lead another index serves no lookup the other does not.
Read from the database itself, on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection

from helpline.people.models import Requester
from helpline.tickets.models import ThreadEntry, Ticket

pytestmark = pytest.mark.django_db

WRITTEN_WITH_EVERY_TICKET = [Ticket, ThreadEntry, Requester]


def plain_indexes(table: str) -> dict[str, tuple[str, ...]]:
    """Each non-unique index of ``table`` on columns (not expressions), by name: its columns in order."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        name: tuple(info["columns"])
        for name, info in constraints.items()
        if info["index"] and not info["unique"] and not info["primary_key"] and all(info["columns"])
    }


@pytest.mark.parametrize("model", WRITTEN_WITH_EVERY_TICKET, ids=lambda model: model.__name__)
def test_no_index_is_the_leading_part_of_another(model):
    indexes = plain_indexes(model._meta.db_table)
    assert len(indexes) >= 2  # the composite indexes are there to be compared with
    redundant = {
        name: (columns, other)
        for name, columns in indexes.items()
        for other_name, other in indexes.items()
        if other_name != name and len(other) > len(columns) and other[: len(columns)] == columns
    }
    assert redundant == {}


def test_the_foreign_keys_lookups_are_served_by_the_composite_indexes():
    leading = {columns[0] for columns in plain_indexes(Ticket._meta.db_table).values()}
    assert {"assignee_id", "department_id", "team_id", "topic_id", "status_id", "priority_id"} <= leading
    assert "requester_id" in leading
