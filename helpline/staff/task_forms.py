"""The task form of the ticket page, and what its tasks panel shows."""

from collections.abc import Callable
from typing import Any, cast

from django import forms

from helpline.core.prepared import PreparedQuery
from helpline.people.models import Agent
from helpline.people.permissions import Perm
from helpline.staff.forms import PrefixedIdsForm
from helpline.tickets.actions.tasks import MAX_TITLE
from helpline.tickets.models import Task, Ticket
from helpline.tickets.policy import can


class TaskForm(PrefixedIdsForm):
    id_prefix = "task"
    title = forms.CharField(label="Task", max_length=MAX_TITLE)
    assignee = forms.ModelChoiceField(
        queryset=Agent.objects.filter(user__is_active=True).select_related("user"),
        required=False,
        empty_label="Nobody",
        label="For",
    )
    due_on = forms.DateField(label="Due", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, offered: list[Agent] | None = None, **kwargs):
        """``offered`` narrows the agents shown to those who may see the ticket; the action is the judge."""
        super().__init__(*args, **kwargs)
        if offered is not None:
            field = cast(forms.ModelChoiceField, self.fields["assignee"])
            field.choices = [("", "Nobody")] + [(agent.pk, str(agent)) for agent in offered]


# The ticket page's tasks, in the model's order (open first, by due date): compiled once (core.prepared).
_TASKS = PreparedQuery(
    lambda ticket_id: Task.objects.filter(ticket_id=ticket_id).select_related("assignee__user")
)


def tasks_context(
    agent: Agent, ticket: Ticket, bound: forms.Form | None, offered: Callable[[], list[Agent]]
) -> dict[str, Any]:
    """The ticket's tasks (open first, by due date) and, for agents who may edit it, the form that adds one
    (``offered``: the agents who may see the ticket)."""
    editable = can(agent, Perm.EDIT, ticket)
    return {
        "tasks": _TASKS.objects(ticket.pk),
        "tasks_editable": editable,
        "task_form": bound or (TaskForm(offered=offered()) if editable else None),
    }
