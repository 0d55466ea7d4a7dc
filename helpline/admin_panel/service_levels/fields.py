"""Form fields for clock times that may be 24:00 and for targets written as "8 h" or "1 h 30 min", and the
rows of a formset that are kept."""

from datetime import time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet

from helpline.sla.durations import format_duration, parse_duration

MIDNIGHT = time(0)


class ClockField(forms.TimeField):
    """A local time written HH:MM. With ``allow_24`` (a span's end), 24:00 is midnight at the end of the day,
    stored as 00:00 (a span's end at or before its start is on the next day)."""

    widget = forms.TextInput

    def __init__(self, *, allow_24: bool = False, **kwargs):
        self.allow_24 = allow_24
        kwargs.setdefault("input_formats", ["%H:%M", "%H:%M:%S"])
        kwargs.setdefault("error_messages", {"invalid": "Write the time as HH:MM, e.g. 09:00 or 17:30."})
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "size": 5, "placeholder": "HH:MM"})

    def to_python(self, value):
        if self.allow_24 and isinstance(value, str) and value.strip() in ("24:00", "24:00:00"):
            return MIDNIGHT
        return super().to_python(value)

    def prepare_value(self, value):
        if self.allow_24 and value == MIDNIGHT:
            return "24:00"
        return value.strftime("%H:%M") if isinstance(value, time) else value


class TargetField(forms.Field):
    """A target duration: "8 h", "1 h 30 min", "45 min", "1:30" or a bare number of hours."""

    widget = forms.TextInput
    MAX_LENGTH = 40

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update({"size": 12, "maxlength": self.MAX_LENGTH, "placeholder": "e.g. 8 h"})

    def to_python(self, value) -> timedelta | None:
        text = str(value or "").strip()
        if not text:
            return None
        if len(text) > self.MAX_LENGTH:
            raise ValidationError("That is too long for a duration.", code="too_long")
        try:
            return parse_duration(text)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid_duration") from None

    def prepare_value(self, value):
        return format_duration(value) if isinstance(value, timedelta) else value


def kept_forms(formset: Any) -> list[Any]:
    """The rows that stay: stored or filled in, and not marked for removal (precondition: validated)."""
    return [
        form
        for form in formset.forms
        if form.has_changed() or getattr(form.instance, "pk", None)
        if not (formset.can_delete and formset._should_delete_form(form))
    ]


class Rows(BaseInlineFormSet):
    """A formset of rows an administrator adds to and removes from: the removal box says "Remove"."""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"
