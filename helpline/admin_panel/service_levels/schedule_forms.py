"""A schedule's form: its settings, its spans per weekday and its holidays, each list a formset with blank
rows to add more (no script needed). The whole is checked before anything is saved: a schedule that would
never be open is refused, since no due time could be counted on it."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils import timezone

from helpline.admin_panel.service_levels.fields import ClockField, Rows, kept_forms
from helpline.core.forms import zone_choices as person_zone_choices
from helpline.sla.clock import check_open_sometime
from helpline.sla.hours import BusinessHours, NoOpenTime
from helpline.sla.models import Holiday, Schedule, ScheduleSpan

BLANK_SPANS = 3
BLANK_HOLIDAYS = 2


def zone_choices() -> list:
    """Every zone, grouped by region; unlike a person's zone, a schedule's is never "the desk's"."""
    return [("", "Choose a time zone"), *person_zone_choices()[1:]]


class ScheduleForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=zone_choices, help_text="The zone the spans and holidays are in, e.g. Europe/Berlin."
    )

    class Meta:
        model = Schedule
        fields = ["name", "time_zone", "is_24x7", "country", "subdivision"]
        labels = {"is_24x7": "Open 24x7", "country": "Country's public holidays"}
        widgets = {
            "country": forms.TextInput(attrs={"size": 4}),
            "subdivision": forms.TextInput(attrs={"size": 6}),
        }

    def clean_country(self) -> str:
        return self.cleaned_data["country"].strip().upper()

    def clean_subdivision(self) -> str:
        return self.cleaned_data["subdivision"].strip().upper()


class SpanForm(forms.ModelForm):
    start = ClockField()
    end = ClockField(allow_24=True, help_text="24:00 for midnight; an end before the start is the next day.")

    class Meta:
        model = ScheduleSpan
        fields = ["weekday", "start", "end"]


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["name", "date", "month", "day"]
        labels = {"date": "Date (once)", "month": "or every year: month", "day": "day"}
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "month": forms.NumberInput(attrs={"min": 1, "max": 12}),
            "day": forms.NumberInput(attrs={"min": 1, "max": 31}),
        }


SpanFormSet = inlineformset_factory(
    Schedule, ScheduleSpan, form=SpanForm, formset=Rows, extra=BLANK_SPANS, can_delete=True
)
HolidayFormSet = inlineformset_factory(
    Schedule, Holiday, form=HolidayForm, formset=Rows, extra=BLANK_HOLIDAYS, can_delete=True
)


class ScheduleEditor:
    """The schedule form and its two formsets, bound or not, checked together."""

    def __init__(self, schedule: Schedule, data=None):
        self.schedule = schedule
        self.form = ScheduleForm(data, instance=schedule)
        self.spans = SpanFormSet(data, instance=schedule, prefix="spans")
        self.holidays = HolidayFormSet(data, instance=schedule, prefix="holidays")
        self.open_time_error = ""

    def page_forms(self) -> dict[str, forms.BaseForm]:
        """Every form of the page, rows included, for the error summary at the top of the page."""
        rows = {
            f"{formset.prefix}-{n}": form for formset in self.formsets() for n, form in enumerate(formset)
        }
        return {"main": self.form} | rows

    def formsets(self) -> list[Any]:
        return [self.spans, self.holidays]

    def is_valid(self) -> bool:
        valid = all([self.form.is_valid(), self.spans.is_valid(), self.holidays.is_valid()])
        if not valid:
            return False
        try:
            check_open_sometime(self.business_hours(), timezone.now())
        except NoOpenTime as error:
            self.open_time_error = str(error)
            self.form.add_error(None, ValidationError(str(error), code="no_open_time"))
            return False
        except ValueError as error:  # a calendar the holidays package cannot build after all
            self.form.add_error("country", str(error))
            return False
        return True

    def business_hours(self) -> BusinessHours:
        """The hours the submitted rows describe (precondition: every form is valid)."""
        data = self.form.cleaned_data
        spans = [form.instance.as_span() for form in kept_forms(self.spans)]
        days = [form.instance for form in kept_forms(self.holidays)]
        return BusinessHours(
            zone=data["time_zone"],
            always_open=data["is_24x7"],
            spans=tuple(spans),
            dates=frozenset(h.date for h in days if h.date is not None),
            yearly=frozenset((h.month, h.day) for h in days if h.date is None and h.month and h.day),
            country=data["country"],
            subdivision=data["subdivision"],
        )
