"""Filters on the staff lists: what a filter panel (or a saved queue) asks for. The query they make is
``tickets.filtering.TicketFilters``'s (the API's lists use it too).

A list's filters travel as GET parameters, so a filtered list is a link to share. ``FilterForm`` validates
them (a bad value is a message on the page, never an error); its result, like a saved queue's, is a
``TicketFilters``: plain values (ids, an address, dates) that narrow a queryset without a query of their own,
so many saved queues can be counted together in one statement.

Each filter takes one value (one department, one priority): then each is an equality on one column that
an index (that column, the state, the sort column, id) serves in page order; several values would make
the database sort every matching row. Dates are whole days in the agent's time zone, both ends included.
"""

from dataclasses import fields
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from helpline.catalog.models import Priority, TicketStatus
from helpline.custom_fields.models import Field
from helpline.custom_fields.values import filter_condition
from helpline.people.models import Agent, Department, Organization, Team
from helpline.routing.forms import TopicChoiceField
from helpline.routing.models import HelpTopic
from helpline.tickets.filtering import DATE_RANGES, FIRST_DAY, LAST_DAY, ME, NOBODY, TicketFilters
from helpline.tickets.models import Source


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
