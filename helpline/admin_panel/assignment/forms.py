"""Forms of the assignment pages: a strategy, and an agent's availability and limit."""

from django import forms

from helpline.people.forms import AvailabilityForm
from helpline.people.models import AssignmentStrategy

MAX_LIMIT = 10_000


class StrategyForm(forms.Form):
    assignment_strategy = forms.ChoiceField(label="Assignment", choices=AssignmentStrategy.choices)


class AgentAvailabilityForm(AvailabilityForm):
    open_ticket_limit = forms.IntegerField(
        label="Open-ticket limit",
        required=False,
        min_value=0,
        max_value=MAX_LIMIT,
        help_text=(
            "No more tickets are assigned to the agent automatically while they have this many open or "
            "pending (0: none at all). Blank: no limit. Agents may still take tickets or be given them."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "is_away"
        ].help_text = "While away, no new tickets are assigned to the agent automatically."
