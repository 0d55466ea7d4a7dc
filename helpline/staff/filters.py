"""Filters on the staff lists: what a filter panel (or a saved queue) asks for, and the query it makes.

A list's filters travel as GET parameters, so a filtered list is a link to share. ``FilterForm`` validates
them (a bad value is a message on the page, never an error); its result, like a saved queue's, is a
``TicketFilters``: plain values (ids, an address, dates) that narrow a queryset without a query of their own,
so many saved queues can be counted together in one statement.

Each filter takes one value (one department, one priority): then each is an equality on one column that
an index (that column, the state, the sort column, id) serves in page order; several values would make
the database sort every matching row. Dates are whole days in the agent's time zone, both ends included.
"""

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q, QuerySet
from django.utils import timezone

from helpline.catalog.models import Priority, TicketStatus
from helpline.custom_fields.models import Field, Kind
from helpline.custom_fields.values import filter_condition
from helpline.people.models import Agent, Department, Organization, Team
from helpline.people.requesters import requesters_by_email
from helpline.routing.forms import TopicChoiceField
from helpline.routing.models import HelpTopic
from helpline.tickets.models import FieldValue, Source, Ticket
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

    def apply(self, tickets: QuerySet[Ticket], agent: Agent) -> QuerySet[Ticket]:
        """``tickets`` narrowed to these filters (no query is run here)."""
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

    def _assignee_condition(self, agent: Agent) -> Q:
        if self.assignee == NOBODY:
            return Q(assignee__isnull=True)
        if self.assignee == ME:
            return Q(assignee=agent)
        if self.assignee.isdigit():
            return Q(assignee_id=int(self.assignee))
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


def _agent_choices() -> list[tuple[str, str]]:
    agents = Agent.objects.filter(user__is_active=True).select_related("user")
    return [("", "Anyone or nobody"), (NOBODY, "Unassigned"), (ME, "Me")] + [
        (str(agent.pk), agent.display_name) for agent in agents
    ]


def _day_field(label: str) -> forms.DateField:
    # Beyond these years a day's bounds in some time zones fall outside what datetime can hold.
    return forms.DateField(
        required=False,
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
    )


class FilterForm(forms.Form):
    """The filter panel's fields, read from GET parameters (``FilterForm(request.GET)``)."""

    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), required=False, empty_label="Any department"
    )
    topic = TopicChoiceField(
        queryset=HelpTopic.objects.all(), required=False, empty_label="Any help topic", label="Help topic"
    )
    status = forms.ModelChoiceField(
        queryset=TicketStatus.objects.all(), required=False, empty_label="Any status"
    )
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.all(), required=False, empty_label="Any priority"
    )
    assignee = forms.ChoiceField(required=False, label="Assigned to")
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False, empty_label="Any team")
    source = forms.ChoiceField(choices=[("", "Any source"), *Source.choices], required=False)
    requester = forms.EmailField(required=False, label="Requester's email", max_length=254)
    organization = forms.CharField(required=False, max_length=200)
    created_from = _day_field("Created from")
    created_to = _day_field("Created until")
    updated_from = _day_field("Updated from")
    updated_to = _day_field("Updated until")
    due_from = _day_field("Due from")
    due_to = _day_field("Due until")
    overdue = forms.BooleanField(required=False, label="Overdue only")
    field = forms.CharField(
        required=False,
        max_length=300,
        label="Custom field",
        help_text="A field's key and a value, e.g. device=Laptop.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        # Read once: the panel lists them and validation checks against them.
        cast(forms.ChoiceField, self.fields["assignee"]).choices = _agent_choices()

    def clean_organization(self) -> str:
        name = self.cleaned_data["organization"].strip()
        if name and not Organization.objects.filter(name__iexact=name).exists():
            raise ValidationError(f"No organization is named “{name}”.")
        return name

    def clean_field(self) -> str:
        raw = self.cleaned_data["field"].strip()
        if not raw:
            return ""
        key, equals, value = raw.partition("=")
        field = Field.objects.filter(key=key.strip()).first()
        if not equals or field is None:
            raise ValidationError("Name a field by its key and a value: key=value.")
        filter_condition(field, value)  # a value of the wrong type is said here
        return f"{field.key}={value.strip()}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for prefix, _column, label in DATE_RANGES:
            start, end = cleaned.get(f"{prefix}_from"), cleaned.get(f"{prefix}_to")
            if start and end and start > end:
                self.add_error(f"{prefix}_to", f"{label} until must be on or after {label.lower()} from.")
        return cleaned

    def filters(self) -> TicketFilters:
        """The filters asked for. Call after ``is_valid()`` returned True."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for field in fields(TicketFilters):
            value = data.get(field.name)
            if value in (None, "", False):
                continue
            values[field.name] = value.pk if hasattr(value, "pk") else value
        return TicketFilters(**values)
