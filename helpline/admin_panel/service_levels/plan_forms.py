"""An SLA plan's form: its targets, schedule, pending rule and warning; its per-priority targets and its
escalation steps as formsets with blank rows to add more; and the preview form (a GET, it changes nothing)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from helpline.admin_panel.service_levels.fields import Rows, TargetField, kept_forms
from helpline.catalog.models import Priority
from helpline.people.models import Agent, Department, Team
from helpline.sla.models import EscalationStep, SLAPlan, SLATarget

BLANK_TARGETS = 2
BLANK_STEPS = 2
TARGET_HELP = "Business time on the schedule: 8 h, 1 h 30 min, 45 min."


class PlanForm(forms.ModelForm):
    first_response_target = TargetField(
        required=False, help_text="Blank: no first-response target. " + TARGET_HELP
    )
    resolution_target = TargetField(help_text=TARGET_HELP)

    class Meta:
        model = SLAPlan
        fields = [
            "name",
            "schedule",
            "first_response_target",
            "resolution_target",
            "pause_when_pending",
            "warn_percent",
            "is_active",
            "notes",
        ]
        labels = {"warn_percent": "Warning at (% of a target)", "is_active": "Active"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schedule = self.fields["schedule"]
        assert isinstance(schedule, forms.ModelChoiceField)
        schedule.empty_label = "None: 24x7, wall-clock time"


class TargetForm(forms.ModelForm):
    first_response = TargetField(label="First response", required=False)
    resolution = TargetField(label="Resolution", required=False)

    class Meta:
        model = SLATarget
        fields = ["priority", "first_response", "resolution"]


class StepForm(forms.ModelForm):
    agent = forms.ModelChoiceField(
        queryset=Agent.objects.filter(user__is_active=True).select_related("user"), required=False
    )
    team = forms.ModelChoiceField(queryset=Team.objects.filter(is_active=True), required=False)
    department = forms.ModelChoiceField(queryset=Department.objects.filter(is_active=True), required=False)

    class Meta:
        model = EscalationStep
        fields = ["target", "trigger", "action", "priority", "agent", "team", "department", "sort"]
        labels = {"priority": "Priority (to set)", "sort": "Order"}
        widgets = {"sort": forms.NumberInput(attrs={"min": 0, "max": 999})}


class _SharedChoices(Rows):
    """Rows whose selects list the same rows: the choices are read once for the whole formset, not once per
    row (a plan with ten steps would otherwise read the agents ten times)."""

    shared: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first = self.empty_form
        for name in self.shared:
            choices = list(first.fields[name].choices)  # type: ignore[attr-defined]
            for form in self.forms:
                form.fields[name].choices = choices  # type: ignore[attr-defined]


class _TargetRows(_SharedChoices):
    shared = ("priority",)


class _StepRows(_SharedChoices):
    shared = ("priority", "agent", "team", "department")


TargetFormSet = inlineformset_factory(
    SLAPlan, SLATarget, form=TargetForm, formset=_TargetRows, extra=BLANK_TARGETS, can_delete=True
)
StepFormSet = inlineformset_factory(
    SLAPlan, EscalationStep, form=StepForm, formset=_StepRows, extra=BLANK_STEPS, can_delete=True
)


class PlanEditor:
    """The plan form and its two formsets, checked together: a step on a warning needs a warning threshold,
    and a step on the first response needs a first-response target somewhere in the plan."""

    def __init__(self, plan: SLAPlan, data=None):
        self.form = PlanForm(data, instance=plan)
        self.targets = TargetFormSet(data, instance=plan, prefix="targets")
        self.steps = StepFormSet(data, instance=plan, prefix="steps")

    def page_forms(self) -> dict[str, forms.BaseForm]:
        """Every form of the page, rows included, for the error summary at the top of the page."""
        rows = {
            f"{formset.prefix}-{n}": form for formset in self.formsets() for n, form in enumerate(formset)
        }
        return {"main": self.form} | rows

    def formsets(self) -> list[Any]:
        return [self.targets, self.steps]

    def is_valid(self) -> bool:
        if not all([self.form.is_valid(), self.targets.is_valid(), self.steps.is_valid()]):
            return False
        plan = self.form.cleaned_data
        first_response = plan["first_response_target"] is not None or any(
            form.cleaned_data.get("first_response") for form in kept_forms(self.targets)
        )
        valid = True
        for form in kept_forms(self.steps):
            step = form.cleaned_data
            if step["trigger"] == EscalationStep.Trigger.WARNING and plan["warn_percent"] is None:
                form.add_error(
                    "trigger",
                    ValidationError(
                        "A step on the warning needs a warning threshold: set “Warning at” above.",
                        code="no_warning",
                    ),
                )
                valid = False
            if step["target"] == EscalationStep.Target.FIRST_RESPONSE and not first_response:
                form.add_error(
                    "target",
                    ValidationError(
                        "The plan has no first-response target for this step to watch.",
                        code="no_first_response",
                    ),
                )
                valid = False
        return valid


class PreviewForm(forms.Form):
    """When a ticket opens, and its priority: the plan's page shows the due times it would get."""

    start = forms.CharField(
        label="Opened at",
        required=False,
        max_length=40,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Blank: now. Read in the plan's time zone unless it carries an offset.",
    )
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.all(), required=False, empty_label="Any (the plan's own targets)"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "preview")
        super().__init__(*args, **kwargs)
