"""Entering and reading values of custom fields: the Django form field each kind is checked with, the typed
columns a value is stored in, and how a stored value reads.

A value is stored in the column of its type (``tickets.FieldValue``): text, choices, addresses and phone
numbers in ``text`` (a multiple choice as its choices one per line), long text in ``long_text``, numbers in
``number``, dates in ``date``, checkboxes in ``flag``; so filters and sorts compare numbers as numbers and
dates as dates.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from helpline.custom_fields.models import MAX_TEXT, Field, Kind

PREFIX = "field_"
CHOICE_SEPARATOR = "\n"
PHONE = RegexValidator(
    r"^\+?[0-9][0-9 ()./-]{2,38}$", "Enter a phone number: digits, spaces and + ( ) . / - only."
)
NUMBER_DIGITS, NUMBER_PLACES = 20, 6

Value = str | list[str] | date | Decimal | bool


def form_name(field: Field) -> str:
    return f"{PREFIX}{field.key}"


def form_field(field: Field) -> forms.Field:
    """The Django form field that checks a value of ``field`` (its kind, required-ness and bounds)."""
    common: dict[str, Any] = {"label": field.label, "required": field.required, "help_text": field.help_text}
    match field.kind:
        case Kind.LONG_TEXT:
            return forms.CharField(
                max_length=field.text_limit, widget=forms.Textarea(attrs={"rows": 4}), **common
            )
        case Kind.CHOICE:
            choices = [("", "Choose one"), *((choice, choice) for choice in field.choices)]
            return forms.ChoiceField(choices=choices, **common)
        case Kind.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                choices=[(choice, choice) for choice in field.choices],
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        case Kind.DATE:
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        case Kind.NUMBER:
            return forms.DecimalField(
                max_digits=NUMBER_DIGITS,
                decimal_places=NUMBER_PLACES,
                min_value=field.min_value,
                max_value=field.max_value,
                **common,
            )
        case Kind.CHECKBOX:
            return forms.BooleanField(**common)
        case Kind.EMAIL:
            return forms.EmailField(max_length=254, **common)
        case Kind.PHONE:
            return forms.CharField(
                max_length=40, validators=[PHONE], widget=forms.TextInput(attrs={"type": "tel"}), **common
            )
    return forms.CharField(max_length=field.text_limit, **common)


class FieldsForm(forms.Form):
    """The custom fields of a ticket as one form, named ``field_<key>`` so they sit beside a page's own
    fields. Only the fields given are read: a posted value for any other field is ignored."""

    def __init__(self, *args, custom_fields: Iterable[Field], **kwargs):
        super().__init__(*args, **kwargs)
        self.custom_fields = list(custom_fields)
        for field in self.custom_fields:
            self.fields[form_name(field)] = form_field(field)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for field in self.custom_fields:
            chosen = cleaned.get(form_name(field))
            if (
                field.kind == Kind.MULTIPLE_CHOICE
                and chosen
                and len(CHOICE_SEPARATOR.join(chosen)) > MAX_TEXT
            ):
                self.add_error(form_name(field), "Too many choices at once: choose fewer.")
        return cleaned

    def values(self) -> dict[Field, Value | None]:
        """Each field's value (None when left empty). Call after ``is_valid()`` returned True."""
        values: dict[Field, Value | None] = {}
        for field in self.custom_fields:
            value = self.cleaned_data.get(form_name(field))
            # An unticked checkbox is no value, as an empty text is: nothing is stored for it.
            values[field] = None if value in (None, "", []) or value is False else value
        return values


def columns(field: Field, value: Value) -> dict[str, Any]:
    """The typed columns of a stored value (the others stay empty)."""
    match field.kind:
        case Kind.LONG_TEXT:
            return {"long_text": str(value)}
        case Kind.MULTIPLE_CHOICE:
            return {"text": CHOICE_SEPARATOR.join(value if isinstance(value, list) else [str(value)])}
        case Kind.DATE:
            return {"date": value}
        case Kind.NUMBER:
            return {"number": value}
        case Kind.CHECKBOX:
            return {"flag": bool(value)}
    return {"text": str(value)}


def read(field: Field, row: Any) -> Value | None:
    """A stored value (a row with the typed columns) as the form field takes it."""
    match field.kind:
        case Kind.LONG_TEXT:
            return row.long_text
        case Kind.MULTIPLE_CHOICE:
            return [choice for choice in row.text.split(CHOICE_SEPARATOR) if choice]
        case Kind.DATE:
            return row.date
        case Kind.NUMBER:
            return row.number
        case Kind.CHECKBOX:
            return row.flag
    return row.text


def shown(field: Field, value: Value | None) -> str:
    """A value as a page or an event shows it."""
    if value is None or value == [] or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def filter_condition(field: Field, raw: str) -> dict[str, Any]:
    """The lookups on a value row that ``field:<key>=<raw>`` asks for. Raises ValidationError for a value
    the field's type cannot hold."""
    raw = raw.strip()
    match field.kind:
        case Kind.DATE:
            try:
                return {"date": date.fromisoformat(raw)}
            except ValueError:
                raise ValidationError(f"“{raw}” is not a date (YYYY-MM-DD).") from None
        case Kind.NUMBER:
            try:
                number = Decimal(raw)
            except ArithmeticError:
                number = None
            # Only a number the column can hold: not NaN nor infinity, nor more digits than it keeps.
            if number is None or not number.is_finite() or abs(number.adjusted()) >= NUMBER_DIGITS:
                raise ValidationError(f"“{raw}” is not a number a field holds.")
            return {"number": number}
        case Kind.CHECKBOX:
            return {"flag": raw.lower() in ("1", "yes", "true", "on")}
        case Kind.MULTIPLE_CHOICE:
            return {"text__regex": rf"(^|\n){re.escape(raw)}(\n|$)"}
        case Kind.LONG_TEXT:
            return {"long_text__icontains": raw}
    return {"text": raw}


def changed(before: Mapping[Field, Value | None], after: Mapping[Field, Value | None]) -> list[Field]:
    return [field for field, value in after.items() if before.get(field) != value]
