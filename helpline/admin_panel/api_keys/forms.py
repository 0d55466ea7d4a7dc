"""The form that issues an API key."""

from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from helpline.api.keys import InvalidKey, clean_networks
from helpline.api.models import Scope


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What uses the key: the system or script.")
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Writing includes reading the tickets it changes.",
    )
    networks = forms.CharField(
        required=False,
        label="Allowed networks",
        help_text="CIDR ranges, one per line or separated by commas (192.0.2.0/24, 2001:db8::/32). Empty: from anywhere.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expires_on = forms.DateField(
        required=False,
        label="Last day",
        help_text="The key works through this day. Empty: until revoked.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_networks(self) -> list[str]:
        raw = self.cleaned_data["networks"].replace(",", "\n")
        try:
            return clean_networks(line for line in raw.splitlines() if line.strip())
        except InvalidKey as refusal:
            raise ValidationError(str(refusal)) from None

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day < timezone.localdate():
            raise ValidationError("The last day cannot be in the past.")
        return day

    def expires_at(self) -> datetime | None:
        day = self.cleaned_data["expires_on"]
        return timezone.make_aware(datetime.combine(day, time.max)) if day else None
