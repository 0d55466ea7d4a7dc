from django import forms

from helpline.people.models import Role
from helpline.security.models import SignInPolicy

MAX_IDLE_MINUTES = 7 * 24 * 60
MAX_ABSOLUTE_HOURS = 30 * 24


class SignInPolicyForm(forms.ModelForm):
    required_roles = forms.ModelMultipleChoiceField(
        queryset=Role.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Roles that must use a second factor",
        help_text="Agents who hold one of these roles in any department. Administrators always must.",
    )

    class Meta:
        model = SignInPolicy
        fields = ["require_everyone", "required_roles", "idle_minutes", "absolute_hours"]
        labels = {
            "require_everyone": "Every agent must use a second factor",
            "idle_minutes": "Idle lifetime (minutes)",
            "absolute_hours": "Absolute lifetime (hours)",
        }

    def clean_idle_minutes(self) -> int:
        value = self.cleaned_data["idle_minutes"]
        if not 1 <= value <= MAX_IDLE_MINUTES:
            raise forms.ValidationError(f"Give between 1 and {MAX_IDLE_MINUTES} minutes.")
        return value

    def clean_absolute_hours(self) -> int:
        value = self.cleaned_data["absolute_hours"]
        if not 1 <= value <= MAX_ABSOLUTE_HOURS:
            raise forms.ValidationError(f"Give between 1 and {MAX_ABSOLUTE_HOURS} hours.")
        return value

    def clean(self):
        cleaned = super().clean() or {}
        idle, absolute = cleaned.get("idle_minutes"), cleaned.get("absolute_hours")
        if idle and absolute and idle > absolute * 60:
            self.add_error("idle_minutes", "The idle lifetime cannot be longer than the absolute lifetime.")
        return cleaned
