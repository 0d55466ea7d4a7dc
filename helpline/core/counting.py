"""Bounded counts of several lists in one query: "how many, up to a cap" for each, at once."""

from collections.abc import Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def bounded_counts(querysets: Sequence[QuerySet], cap: int) -> list[int]:
    """For each queryset, its row count up to ``cap + 1`` (more than ``cap`` means "cap or more"), all in
    one statement: ``SELECT (SELECT COUNT(*) FROM (... LIMIT cap + 1)), ...``. Each count reads at most
    ``cap + 1`` rows, so the work is bounded by the number of lists, not the size of the table."""
    parts: list[str] = []
    params: list = []
    for index, queryset in enumerate(querysets):
        try:
            sql, part_params = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
        except EmptyResultSet:  # a list that is empty by construction (``.none()``)
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{index})")  # noqa: S608 - compiled by the ORM
        params.extend(part_params)
    if not parts:
        return []
    if all(part == "0" for part in parts):
        return [0] * len(parts)
    alias = querysets[0].db
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [int(value) for value in row]
