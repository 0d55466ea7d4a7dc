"""Custom fields as columns of the staff lists: a saved queue names them "field:<key>" among its columns,
and a page of tickets reads their values in one query, whatever the number of rows."""

from collections.abc import Sequence

from helpline.custom_fields.models import Field
from helpline.custom_fields.values import read, shown
from helpline.tickets.models import FieldValue, Ticket

PREFIX = "field:"


def column_choices() -> list[tuple[str, str]]:
    return [
        (f"{PREFIX}{key}", label)
        for key, label in Field.objects.filter(is_active=True).values_list("key", "label")
    ]


def chosen_fields(columns: Sequence[str] | None) -> list[Field]:
    """The fields named in ``columns``, in that order (no query when there are none)."""
    keys = [column.removeprefix(PREFIX) for column in columns or () if column.startswith(PREFIX)]
    if not keys:
        return []
    found = {field.key: field for field in Field.objects.filter(key__in=keys).select_related("choice_list")}
    return [found[key] for key in keys if key in found]


def fill_cells(tickets: Sequence[Ticket], fields: list[Field]) -> None:
    """Give each ticket ``field_cells``: (field, its shown value) for each field, in order (one query)."""
    if not fields or not tickets:
        return
    by_pk = {field.pk: field for field in fields}
    values: dict[tuple[int, int], str] = {}
    rows = FieldValue.objects.filter(ticket__in=[ticket.pk for ticket in tickets], field__in=fields)
    for row in rows:
        field = by_pk[row.field_id]
        values[row.ticket_id, row.field_id] = shown(field, read(field, row))
    for ticket in tickets:
        ticket.field_cells = [(field, values.get((ticket.pk, field.pk), "")) for field in fields]  # type: ignore[attr-defined]
