"""Filters on ticket lists: plain values (ids, an address, dates) that narrow a queryset without a query of
their own, so many saved queues can be counted together in one statement. The staff panel's filter form and
saved queues, and the API's list parameters, all produce a ``TicketFilters``.

Each filter takes one value (one department, one priority): then each is an equality on one column that
an index (that column, the state, the sort column, id) serves in page order; several values would make
the database sort every matching row. Dates are whole days in the current time zone, both ends included.
"""

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from helpline.core.whole_numbers import whole_number
from helpline.custom_fields.models import Field, Kind
from helpline.custom_fields.values import filter_condition
from helpline.people.models import Agent, Organization
from helpline.people.requesters import requesters_by_email
from helpline.tickets.models import FieldValue, Ticket
from helpline.tickets.queries import overdue_tickets

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
NOBODY = "none"
ME = "me"
DATE_RANGES = (
    ("created", "created_at", "Created"),
    ("updated", "updated_at", "Updated"),
    ("due", "due_at", "Due"),
)


@dataclass(frozen=True)
class TicketFilters:
    """What a list is narrowed to; every field left empty narrows nothing. ``assignee`` is an agent's id,
    ``NOBODY`` (no agent assigned) or ``ME`` (whoever looks at the list)."""

    department: int | None = None
    topic: int | None = None
    status: int | None = None
    priority: int | None = None
    assignee: str = ""
    team: int | None = None
    source: str = ""
    requester: str = ""
    organization: str = ""
    created_from: date | None = None
    created_to: date | None = None
    updated_from: date | None = None
    updated_to: date | None = None
    due_from: date | None = None
    due_to: date | None = None
    overdue: bool = False
    # A custom field's value, "key=value" (``custom_fields.values.filter_condition``).
    field: str = ""

    def to_params(self) -> dict[str, str]:
        """The GET parameters that ask for these filters, in a fixed order (empty ones left out)."""
        params = {}
        for name, value in asdict(self).items():
            if value in (None, "", False):
                continue
            params[name] = (
                "1" if value is True else value.isoformat() if isinstance(value, date) else str(value)
            )
        return params

    def to_json(self) -> dict[str, Any]:
        return self.to_params()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TicketFilters":
        """Filters as a saved queue stored them (``to_json``); unknown or malformed entries are dropped, so
        a row written by another version reads as well as it can."""
        values: dict[str, Any] = {}
        for field in fields(cls):
            raw = data.get(field.name)
            if raw in (None, ""):
                continue
            try:
                values[field.name] = _PARSERS.get(field.type, str)(raw)
            except (ValueError, TypeError):
                continue
        return cls(**values)

    def apply(self, tickets: QuerySet[Ticket], agent: Agent | None) -> QuerySet[Ticket]:
        """``tickets`` narrowed to these filters (no query is run here). ``agent``: whoever looks at the
        list, for ``ME``; None for a caller that is not an agent (an API key), to whom ``ME`` is nobody."""
        equal = {
            name: getattr(self, name)
            for name in ("department", "topic", "status", "priority", "team")
            if getattr(self, name) is not None
        }
        tickets = tickets.filter(**{f"{name}_id": value for name, value in equal.items()})
        if self.source:
            tickets = tickets.filter(source=self.source)
        tickets = tickets.filter(self._assignee_condition(agent))
        if self.requester:
            tickets = tickets.filter(requester__in=requesters_by_email(self.requester).values("pk"))
        if self.organization:
            named = Organization.objects.filter(name__iexact=self.organization).values("pk")
            tickets = tickets.filter(requester__organization__in=named)
        for prefix, column, _label in DATE_RANGES:
            start, end = getattr(self, f"{prefix}_from"), getattr(self, f"{prefix}_to")
            if start is not None:
                tickets = tickets.filter(**{f"{column}__gte": _day_start(start)})
            if end is not None:
                tickets = tickets.filter(**{f"{column}__lt": _day_start(end + timedelta(days=1))})
        if self.overdue:
            tickets = overdue_tickets(tickets)
        if self.field:
            tickets = tickets.filter(pk__in=field_matches(self.field))
        return tickets

    def _assignee_condition(self, agent: Agent | None) -> Q:
        if self.assignee == NOBODY:
            return Q(assignee__isnull=True)
        if self.assignee == ME:
            return Q(assignee=agent) if agent is not None else Q(pk__in=[])
        if (agent_id := whole_number(self.assignee)) is not None:
            return Q(assignee_id=agent_id)
        return Q()


def field_matches(raw: str) -> QuerySet:
    """The tickets (a subquery: no query of its own) whose custom field has the value ``raw`` asks for
    ("key=value"), compared in the column of the field's type."""
    key, _, value = raw.partition("=")
    condition = Q(pk__in=[])
    for kind in Kind:
        try:
            typed = filter_condition(Field(kind=kind), value)
        except ValidationError:
            continue  # the value cannot be one of this type
        condition |= Q(field__kind=kind, **typed)
    return FieldValue.objects.filter(condition, field__key=key.strip()).values("ticket_id")


_PARSERS: dict[Any, Any] = {
    int | None: int,
    date | None: lambda raw: date.fromisoformat(str(raw)),
    bool: lambda raw: raw in ("1", True),
}


def _day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the current (the agent's) time zone."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())
