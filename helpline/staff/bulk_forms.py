"""The queue's bulk action bar: which tickets were selected, and what to do to each of them.

The form validates input only; each ticket then goes through its own action, which decides for it.
"""

import re

from django import forms
from django.http import QueryDict

from helpline.catalog.models import Priority, TicketStatus
from helpline.people.models import Agent, Department, Team
from helpline.staff.forms import PrefixedIdsForm

# At most a queue page of tickets per request (PAGE_SIZE is smaller): each is its own action and transaction.
MAX_BULK = 100
NUMBER = re.compile(r"[1-9][0-9]{5,19}")


class Action:
    ASSIGN = "assign"
    TRANSFER = "transfer"
    STATUS = "status"
    PRIORITY = "priority"
    MERGE = "merge"
    DELETE = "delete"


ACTIONS = [
    (Action.ASSIGN, "Assign"),
    (Action.TRANSFER, "Transfer"),
    (Action.STATUS, "Set status"),
    (Action.PRIORITY, "Set priority"),
    (Action.MERGE, "Merge"),
    (Action.DELETE, "Delete"),
]


def selected_numbers(data: QueryDict) -> list[str]:
    """The ticket numbers the bar acts on, in the page's order: every row of the page when "All on this
    page" was ticked (the page lists its rows in hidden fields, so this works without JavaScript), else the
    ticked rows. Anything that is not a ticket number is left out; duplicates count once."""
    chosen = data.getlist("page_ticket") if data.get("all_on_page") else data.getlist("ticket")
    return list(dict.fromkeys(number for number in chosen if NUMBER.fullmatch(number)))


class BulkForm(PrefixedIdsForm):
    """The pressed button names the action (``action``); the fields it needs are checked for it alone."""

    id_prefix = "bulk"
    action = forms.ChoiceField(choices=ACTIONS)
    agent = forms.ModelChoiceField(
        queryset=Agent.objects.filter(user__is_active=True)
        .select_related("user")
        .order_by("user__first_name"),
        required=False,
        empty_label="No agent",
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.filter(is_active=True), required=False, empty_label="No team"
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.filter(is_active=True), required=False, empty_label="Choose a department"
    )
    status = forms.ModelChoiceField(
        queryset=TicketStatus.objects.all(), required=False, empty_label="Choose a status"
    )
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.all(), required=False, empty_label="Choose a priority"
    )
    merge_into = forms.RegexField(
        regex=NUMBER, required=False, label="Merge the selected into", max_length=20
    )
    confirm_delete = forms.BooleanField(required=False, label="Yes, delete the selected tickets for good")

    NEEDS = {
        Action.TRANSFER: ("department", "Choose the department to transfer the tickets to."),
        Action.STATUS: ("status", "Choose the status to set."),
        Action.PRIORITY: ("priority", "Choose the priority to set."),
        Action.MERGE: ("merge_into", "Choose the ticket to merge the others into."),
        Action.DELETE: ("confirm_delete", "Tick the confirmation to delete the selected tickets."),
    }

    def __init__(self, *args, page_numbers: list[tuple[str, str]] | None = None, **kwargs):
        """``page_numbers``: (number, subject) of the page's rows, offered as the ticket to merge into."""
        super().__init__(*args, **kwargs)
        if page_numbers is not None:
            self.fields["merge_into"].widget = forms.Select(
                choices=[("", "Choose a ticket")] + [(n, f"#{n} {subject}") for n, subject in page_numbers]
            )

    def clean(self) -> dict:
        data = super().clean() or {}
        action = data.get("action")
        if action == Action.ASSIGN and data.get("agent") is None and data.get("team") is None:
            self.add_error(None, "Choose an agent or a team to assign the tickets to.")
        if action in self.NEEDS:
            field, message = self.NEEDS[action]
            if not data.get(field):
                self.add_error(None, message)
        return data
