"""Filters of the administration pages: read from the query string, bounded, never trusted."""

from django import forms

from helpline.audit.models import ACTIONS


class DateRangeForm(forms.Form):
    """A "from" and a "to" day (both included), in the reader's time zone."""

    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date comes before the start date.")
        return cleaned


class AuditFilterForm(DateRangeForm):
    action = forms.ChoiceField(choices=[("", "Any action"), *ACTIONS.items()], required=False)
    target = forms.CharField(
        label="Record", max_length=60, required=False, help_text="A ticket number, for instance."
    )

    field_order = ["action", "target", "since", "until"]
