"""The department and team forms: names checked case-blind, people chosen among the active agents."""

from django import forms
from django.db.models import Q

from helpline.people.models import Agent, Department, Team
from helpline.routing.models import DepartmentDefaults, HelpTopic
from helpline.sla.models import SLAPlan


def active_agents():
    return Agent.objects.filter(user__is_active=True).select_related("user")


class AgentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agent) -> str:
        return f"{obj.display_name} ({obj.user.get_username()})"


class AgentsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Agent) -> str:
        return f"{obj.display_name} ({obj.user.get_username()})"


def clean_unique_name(form: forms.ModelForm, model: type[Department] | type[Team], noun: str) -> str:
    name = " ".join(form.cleaned_data["name"].split())
    if model.objects.filter(name__iexact=name).exclude(pk=form.instance.pk).exists():
        raise forms.ValidationError(f"Another {noun} already has this name.")
    return name


class DepartmentForm(forms.ModelForm):
    manager = AgentChoice(
        queryset=active_agents(),
        required=False,
        help_text="Holds every permission on the department's tickets and receives its alerts.",
    )

    class Meta:
        model = Department
        fields = ["name", "manager", "email", "reply_address", "signature", "is_active"]
        widgets = {"signature": forms.Textarea(attrs={"rows": 4})}
        labels = {"email": "Alert address", "is_active": "Active"}
        help_texts = {"is_active": "An inactive department is offered nowhere; its tickets and history stay."}

    # Kept in routing's row of defaults (the department sits below routing and the SLA plans).
    default_topic = forms.ModelChoiceField(
        queryset=HelpTopic.objects.none(),
        required=False,
        help_text="Routes a ticket that arrives for the department without a topic (its mailbox's mail, the "
        "osTicket API without a topic), as if it had been chosen. One of the department's active topics.",
    )
    default_sla_plan = forms.ModelChoiceField(
        queryset=SLAPlan.objects.none(),
        required=False,
        label="Default SLA plan",
        help_text="For a new ticket that its topic, the filter rules and the door left without a plan.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        department = self.instance
        stored = (
            DepartmentDefaults.objects.filter(department_id=department.pk).first() if department.pk else None
        )
        topic_id = stored.default_topic_id if stored else None
        plan_id = stored.default_sla_plan_id if stored else None
        topics = HelpTopic.objects.filter(Q(is_active=True) | Q(pk=topic_id), department_id=department.pk)
        self.fields["default_topic"].queryset = topics  # type: ignore[attr-defined]
        plans = SLAPlan.objects.filter(Q(is_active=True) | Q(pk=plan_id))
        self.fields["default_sla_plan"].queryset = plans  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.update(default_topic=topic_id, default_sla_plan=plan_id)

    def defaults(self) -> DepartmentDefaults:
        """The defaults chosen (unsaved; ``changes.save_department`` stores them)."""
        return DepartmentDefaults(
            default_topic=self.cleaned_data["default_topic"],
            default_sla_plan=self.cleaned_data["default_sla_plan"],
        )

    def clean_name(self) -> str:
        return clean_unique_name(self, Department, "department")


class TeamForm(forms.ModelForm):
    lead = AgentChoice(queryset=active_agents(), required=False)
    members = AgentsChoice(
        queryset=active_agents(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tickets assigned to the team are worked by its members.",
    )

    class Meta:
        model = Team
        fields = ["name", "lead", "is_active"]
        labels = {"is_active": "Active"}
        help_texts = {"is_active": "An inactive team is offered nowhere; its tickets and history stay."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["members"] = list(self.instance.members.values_list("pk", flat=True))

    def clean_name(self) -> str:
        return clean_unique_name(self, Team, "team")

    def clean(self):
        cleaned = super().clean() or {}
        lead, members = cleaned.get("lead"), cleaned.get("members")
        if lead is not None and members is not None and lead not in members:
            cleaned["members"] = [*members, lead]  # the lead works the team's tickets too
        return cleaned
