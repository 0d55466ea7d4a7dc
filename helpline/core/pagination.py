"""Keyset pagination: pages stay as fast at row one million as at row one.

A page is ordered by one column plus the primary key; the cursor carries the last row's values, and the
next page is "rows after that pair". Nulls sort last in either direction.
"""

import base64
import json
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Model, Q, QuerySet


@dataclass
class Page:
    rows: list[Any]
    next_cursor: str | None


def encode_cursor(value: Any, pk: int) -> str:
    if isinstance(value, datetime):
        value = {"dt": value.isoformat()}
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, int] | None:
    """The (value, pk) pair, or None for a cursor that is malformed (treated as the first page)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if isinstance(value, dict):
            value = datetime.fromisoformat(value["dt"])
        if not isinstance(pk, int) or isinstance(value, (list, dict)):
            return None
        return value, pk
    except (ValueError, TypeError, KeyError):
        return None


def _attr(row: Model, path: str) -> Any:
    for part in path.split("__"):
        row = getattr(row, part) if row is not None else None
    return row


def _after(field: str, descending: bool, value: Any, pk: int) -> Q:
    if value is None:  # we are inside the trailing nulls: only the pk moves on
        return Q(**{f"{field}__isnull": True}) & Q(**{f"pk__{'lt' if descending else 'gt'}": pk})
    beyond = "lt" if descending else "gt"
    return (
        Q(**{f"{field}__{beyond}": value})
        | Q(**{field: value, f"pk__{beyond}": pk})
        | Q(**{f"{field}__isnull": True})
    )


def keyset_page(queryset: QuerySet, *, field: str, descending: bool, cursor: str | None, size: int) -> Page:
    """One page of ``queryset`` ordered by ``field`` (nulls last) then pk, starting after ``cursor``."""
    expression = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    queryset = queryset.order_by(expression, "-pk" if descending else "pk")
    decoded = decode_cursor(cursor) if cursor else None
    if decoded is not None:
        # A tampered cursor whose value does not fit the field is malformed too: the first page.
        with suppress(ValidationError, ValueError, TypeError):
            queryset = queryset.filter(_after(field, descending, *decoded))
    rows = list(queryset[: size + 1])
    if len(rows) <= size:
        return Page(rows=rows, next_cursor=None)
    rows = rows[:size]
    last = rows[-1]
    return Page(rows=rows, next_cursor=encode_cursor(_attr(last, field), last.pk))
