"""The help topic form: every setting, each rule an administrator can break named on its field."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from helpline.catalog.models import State, TicketStatus
from helpline.people.access import works_in
from helpline.people.models import Agent, Department, Team
from helpline.routing.forms import TopicChoiceField
from helpline.routing.models import HelpTopic
from helpline.sla.models import SLAPlan


def topics_under(topic: HelpTopic) -> set[int]:
    """The ids of the topic and of every topic below it (one query: all topics' parents)."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in HelpTopic.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, waiting = set(), [topic.pk]
    while waiting:
        pk = waiting.pop()
        found.add(pk)
        waiting += [child for child in children.get(pk, ()) if child not in found]
    return found


class HelpTopicForm(forms.ModelForm):
    class Meta:
        model = HelpTopic
        fields = [
            "name",
            "parent",
            "department",
            "is_public",
            "priority",
            "sla_plan",
            "status",
            "auto_response",
            "assign_to_agent",
            "assign_to_team",
            "is_active",
        ]
        labels = {
            "parent": "Under",
            "is_public": "Public",
            "sla_plan": "SLA plan",
            "status": "A new ticket's status",
            "auto_response": "Confirm new tickets by email",
            "assign_to_agent": "Assign to agent",
            "assign_to_team": "Assign to team",
            "is_active": "Active",
        }
        help_texts = {
            "name": "Shown after its parents' names, e.g. “Hardware request / Monitor”. No “/”.",
            "department": "New tickets of this topic go to this department.",
            "is_public": "Offered to requesters in the portal; otherwise only agents and mailboxes use it.",
            "priority": "Empty: the default priority.",
            "sla_plan": "Empty: no SLA plan.",
            "auto_response": "The requester is sent the new-ticket confirmation.",
            "assign_to_agent": "Optional. The agent must work in the topic's department.",
            "assign_to_team": "Optional.",
            "is_active": "An inactive topic is offered nowhere; tickets keep it.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        topic = self.instance
        excluded = topics_under(topic) if topic.pk else set()
        self.fields["parent"] = TopicChoiceField(
            queryset=HelpTopic.objects.exclude(pk__in=excluded),
            required=False,
            label="Under",
            empty_label="Nothing: a topic at the top",
            label_of=lambda parent: parent.full_name + ("" if parent.is_active else " (inactive)"),
            help_text="The topic this one is shown under (not itself, nor one below it).",
        )
        self.fields["parent"].initial = topic.parent_id
        self._narrow("department", Department.objects.filter(Q(is_active=True) | Q(pk=topic.department_id)))
        self._narrow("sla_plan", SLAPlan.objects.filter(Q(is_active=True) | Q(pk=topic.sla_plan_id)))
        self._narrow("status", TicketStatus.objects.filter(state=State.OPEN))
        self._narrow(
            "assign_to_agent",
            Agent.objects.filter(Q(user__is_active=True) | Q(pk=topic.assign_to_agent_id)).select_related(
                "user"
            ),
        )
        self._narrow("assign_to_team", Team.objects.filter(Q(is_active=True) | Q(pk=topic.assign_to_team_id)))
        cast(forms.ModelChoiceField, self.fields["status"]).empty_label = "The open state's default"

    def _narrow(self, name: str, queryset) -> None:
        cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        cleaned = super().clean() or {}
        name, parent = cleaned.get("name"), cleaned.get("parent")
        if name and "/" not in name:
            full_name = f"{parent.full_name} / {name}" if parent else name
            clash = HelpTopic.objects.filter(full_name__iexact=full_name).exclude(pk=self.instance.pk).first()
            if clash is not None:
                self.add_error("name", f"There is a topic “{clash.full_name}” already.")
        agent, department = cleaned.get("assign_to_agent"), cleaned.get("department")
        if agent is not None and department is not None and not works_in(agent, department.pk):
            self.add_error(
                "assign_to_agent",
                ValidationError(
                    "%(agent)s does not work in %(department)s: choose one of its agents, or a team.",
                    params={"agent": agent, "department": department},
                ),
            )
        return cleaned
