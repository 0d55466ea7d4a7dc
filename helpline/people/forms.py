"""Form fields for what people set about themselves, shared by the staff panel's Preferences and the
administration area's agent page."""

from django import forms

from helpline.people.preferences import Availability

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class AvailabilityForm(forms.Form):
    """The away switch and the vacation days, checked to be in order; ``availability()`` reads them."""

    is_away = forms.BooleanField(
        label="Away",
        required=False,
        help_text="While you are away no new tickets are assigned to you automatically.",
    )
    vacation_from = forms.DateField(
        label="Vacation from", required=False, widget=DATE_INPUT, help_text="The first day away (included)."
    )
    vacation_until = forms.DateField(
        label="Vacation until", required=False, widget=DATE_INPUT, help_text="The last day away (included)."
    )

    def clean(self):
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                self.availability().check()
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def availability(self) -> Availability:
        data = self.cleaned_data
        return Availability(bool(data.get("is_away")), data.get("vacation_from"), data.get("vacation_until"))

    @staticmethod
    def initial_of(availability: Availability) -> dict:
        return {
            "is_away": availability.away,
            "vacation_from": availability.vacation_from,
            "vacation_until": availability.vacation_until,
        }
