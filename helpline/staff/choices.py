"""The choices of a page's selects, read at once.

A ModelChoiceField queries its rows each time its choices are listed (and a select lists them more than
once while it renders). The ticket page shows up to six such selects, of departments, teams, priorities,
SLA plans and statuses: read one by one that was six queries, a tenth of the page's time. Here the selects
whose rows are labelled by their name are read in one UNION query, each in its own order; the others
(their labels come from Python) are read once each.
"""

from typing import cast

from django import forms
from django.db.models import F, QuerySet, Value
from django.db.models.expressions import OrderBy, Window
from django.db.models.functions import RowNumber
from django.forms.models import ModelChoiceIterator

from helpline.catalog.models import Priority, TicketStatus
from helpline.people.models import Department, Team
from helpline.sla.models import SLAPlan

# The rows whose label in a select is their name (their __str__).
NAMED = (Department, Team, Priority, TicketStatus, SLAPlan)


def freeze_choices(blank: dict[str, forms.Form]) -> None:
    """Fix the choices of every model select of these (unbound) forms; selects of the same rows (the two
    status selects) share one read."""
    fields: dict[str, list[forms.ModelChoiceField]] = {}
    for form in blank.values():
        for name, field in form.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or not isinstance(
                field.choices, ModelChoiceIterator
            ):
                continue  # a plain field, or choices already fixed (the assignable agents)
            key = "status" if name == "status" else f"{id(form)}-{name}"
            fields.setdefault(key, []).append(field)
    rows = _read({key: same[0] for key, same in fields.items()})
    for key, same in fields.items():
        for field in same:
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            field.choices = empty + rows[key]


def _read(first: dict[str, forms.ModelChoiceField]) -> dict[str, list]:
    """Each select's choices (without the empty one): by name in one query where the label is the name,
    else as the field lists them (its own labels)."""
    rows: dict[str, list] = {}
    named: dict[str, QuerySet] = {}
    for key, field in first.items():
        own_labels = type(field).label_from_instance is not forms.ModelChoiceField.label_from_instance
        if field.queryset is not None and issubclass(field.queryset.model, NAMED) and not own_labels:
            named[key] = field.queryset
            rows[key] = []
        else:
            rows[key] = [choice for choice in cast(ModelChoiceIterator, field.choices) if choice[0] != ""]
    if named:
        arms = [_arm(key, qs) for key, qs in named.items()]
        found = arms[0].union(*arms[1:], all=True).order_by() if len(arms) > 1 else arms[0]
        for key, _, pk, name in sorted(found, key=lambda row: (row[0], row[1])):
            rows[key].append((pk, name))
    return rows


def _arm(key: str, qs: QuerySet) -> QuerySet:
    """The rows' ids and names, numbered in the queryset's own order."""
    ordering = list(qs.query.order_by or qs.model._meta.ordering or ["pk"])
    order = [OrderBy(F(term.lstrip("-")), descending=term.startswith("-")) for term in [*ordering, "pk"]]
    return (
        qs.annotate(choice_key=Value(key), choice_seq=Window(RowNumber(), order_by=order))
        .values_list("choice_key", "choice_seq", "pk", "name")
        .order_by()
    )
