"""The department and team forms: names checked case-blind, people chosen among the active agents."""

from django import forms

from helpline.people.models import Agent, Department, Team


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
