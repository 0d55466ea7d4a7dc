"""Keyset pagination: pages stay as fast at row one million as at row one.

A page is ordered by one column plus the primary key; the cursor carries the last row's values, and the
next page is "rows after that pair". Nulls sort last in either direction.
"""

import base64
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from django.core.exceptions import EmptyResultSet, FullResultSet, ValidationError
from django.db.models import F, Model, Q, QuerySet


@dataclass
class Page:
    rows: list[Any]
    next_cursor: str | None


def encode_cursor(value: Any, pk: int) -> str:
    if isinstance(value, datetime):
        value = {"dt": value.isoformat()}
    elif isinstance(value, date):
        value = {"d": value.isoformat()}
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, int] | None:
    """The (value, pk) pair, or None for a cursor that is malformed (treated as the first page). A cursor
    is the client's to tamper with: one holding a value no page can have ended on is malformed too."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if isinstance(value, dict) and set(value) == {"d"}:
            value = date.fromisoformat(value["d"])
        elif isinstance(value, dict):
            moment = datetime.fromisoformat(value["dt"])
            if moment.utcoffset() is None:
                return None  # encode_cursor writes aware moments only
            value = moment.astimezone(UTC)  # OverflowError for one beyond the calendar's ends in UTC
        if not isinstance(pk, int) or not _storable(pk) or not _storable(value):
            return None
        return value, pk
    except (ValueError, TypeError, KeyError, OverflowError):
        return None


def _storable(value: Any) -> bool:
    """Whether a column can hold ``value``: none holds an infinite float, an integer beyond 64 bits or text
    with a NUL (which PostgreSQL refuses only when the query runs, past ``_cursor_filter``'s check)."""
    match value:
        case bool() | date() | None:
            return True
        case int():
            return -(2**63) <= value < 2**63
        case float():
            return math.isfinite(value)
        case str():
            return "\x00" not in value
    return False


def _attr(row: Model, path: str) -> Any:
    for part in path.split("__"):
        row = getattr(row, part) if row is not None else None
    return row


def is_nullable(model: type[Model], path: str) -> bool:
    """Whether the value at ``path`` (``a__b__c``) can be NULL, through nullable relations too."""
    *relations, last = path.split("__")
    for name in relations:
        field = model._meta.get_field(name)
        if field.null:
            return True
        model = cast(type[Model], field.related_model)
    return model._meta.get_field(last).null


def _after_value(field: str, descending: bool, value: Any, pk: int) -> Q:
    """Rows after (value, pk). The first term is a plain range an index on (field, pk) can seek to; the
    second drops the rows of that same value already shown."""
    beyond, reach = ("lt", "lte") if descending else ("gt", "gte")
    return Q(**{f"{field}__{reach}": value}) & (
        Q(**{f"{field}__{beyond}": value}) | Q(**{f"pk__{beyond}": pk})
    )


def _cursor_filter(
    queryset: QuerySet, field: str, descending: bool, cursor: str | None
) -> tuple[Q | None, bool]:
    """The filter for rows after the cursor and whether the cursor is inside the trailing nulls.
    A malformed cursor, or one whose value does not fit the field, means the first page."""
    decoded = decode_cursor(cursor) if cursor else None
    if decoded is None:
        return None, False
    value, pk = decoded
    if value is None:
        return Q(**{f"pk__{'lt' if descending else 'gt'}": pk}), True
    condition = _after_value(field, descending, value, pk)
    try:
        queryset.filter(condition).query.sql_with_params()  # fails now if the value does not fit the field
    except (ValidationError, ValueError, TypeError, OverflowError, EmptyResultSet, FullResultSet):
        # EmptyResultSet/FullResultSet: PostgreSQL's integer range checks on a value out of the column's range.
        # OverflowError: an infinite float for an integer column.
        return None, False
    return condition, False


def keyset_page(
    queryset: QuerySet,
    *,
    field: str,
    descending: bool,
    cursor: str | None,
    size: int,
    branches: Sequence[Q] = (),
) -> Page:
    """One page of ``queryset`` ordered by ``field`` then pk (nulls after every value, whatever the
    direction), starting after ``cursor``. One query, two when a page crosses from values into nulls.

    The ORDER BY is a plain one on (field, pk), so an index on the filter's columns followed by those two
    serves every page: the nulls are read as a separate pk-ordered part instead of by NULLS LAST.

    ``branches``: conditions whose union holds every row of ``queryset`` (an OR the queryset filters by,
    taken apart). The page is then read from each branch on its own, at most a page from each, and
    merged: each branch is one range of its own index in the page's order, where the OR as a whole is
    either sorted whole or found by walking the sort column's index through the table. One query a branch
    and one for the page's rows (twice with nulls) instead of one.
    """
    pk_order = "-pk" if descending else "pk"
    nullable = is_nullable(queryset.model, field)
    after, in_nulls = _cursor_filter(queryset, field, descending, cursor)
    rows: list[Any] = []
    if not in_nulls:
        values = queryset.order_by(F(field).desc() if descending else F(field).asc(), pk_order)
        if nullable:
            values = values.filter(**{f"{field}__isnull": False})
        if after is not None:
            values = values.filter(after)
        rows = _read(values, branches, size + 1, (field,), descending)
    if nullable and len(rows) <= size:
        nulls = queryset.filter(**{f"{field}__isnull": True}).order_by(pk_order)
        if in_nulls:
            nulls = nulls.filter(after)
        rows += _read(nulls, branches, size + 1 - len(rows), (), descending)
    if len(rows) <= size:
        return Page(rows=rows, next_cursor=None)
    rows = rows[:size]
    last = rows[-1]
    return Page(rows=rows, next_cursor=encode_cursor(_attr(last, field), last.pk))


def _read(
    ordered: QuerySet, branches: Sequence[Q], limit: int, sort: tuple[str, ...], descending: bool
) -> list:
    """The first ``limit`` rows of ``ordered`` (ordered by ``sort`` then pk): in one query, or from the
    first ``limit`` keys of each branch merged in that order (a row in several branches once). The
    branches read only the keys, so that no join of the rows' relations (``select_related``) changes their
    plans; one more query reads the page's rows."""
    if not branches:
        return list(ordered[:limit])
    keys: set[tuple] = set()
    for branch in branches:
        keys.update(ordered.filter(branch).values_list(*sort, "pk")[:limit])
    page = [key[-1] for key in sorted(keys, reverse=descending)[:limit]]
    rows = {row.pk: row for row in ordered.filter(pk__in=page)}
    return [rows[pk] for pk in page if pk in rows]
