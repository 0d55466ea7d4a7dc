"""Bulk actions from a queue: the ticked tickets each go through their own action, in their own
transaction, with their own event. A ticket the action refuses is reported by number with the reason, and the
others go on; one message then lists what was done and what was not."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from helpline.people.access import department_perms
from helpline.people.models import Agent
from helpline.people.permissions import ALL_PERMS, Perm
from helpline.staff.bulk_forms import MAX_BULK, Action, BulkForm, selected_numbers
from helpline.staff.choices import freeze_choices
from helpline.staff.views.base import TICKET_RELATIONS, AgentRequest, agent_required
from helpline.staff.views.claiming import back_to
from helpline.tickets.actions import (
    assign_ticket,
    delete_ticket,
    merge_tickets,
    set_priority,
    set_status,
    transfer_ticket,
)
from helpline.tickets.models import Ticket
from helpline.tickets.policy import NotAllowed
from helpline.tickets.queries import visible_tickets

# What an action does to one ticket, with the form's cleaned data.
Operation = Callable[[Agent, Ticket, dict[str, Any]], object]

OPERATIONS: dict[str, Operation] = {
    Action.ASSIGN: lambda agent, ticket, data: assign_ticket(
        actor=agent, ticket=ticket, agent=data["agent"], team=data["team"]
    ),
    Action.TRANSFER: lambda agent, ticket, data: transfer_ticket(
        actor=agent, ticket=ticket, department=data["department"]
    ),
    Action.STATUS: lambda agent, ticket, data: set_status(actor=agent, ticket=ticket, status=data["status"]),
    Action.PRIORITY: lambda agent, ticket, data: set_priority(
        actor=agent, ticket=ticket, priority=data["priority"]
    ),
    Action.DELETE: lambda agent, ticket, data: delete_ticket(actor=agent, ticket=ticket),
}

# The permission behind each button, so the bar offers what the agent may do somewhere; each ticket's
# action remains the judge.
BUTTON_PERMS = {
    Action.ASSIGN: Perm.ASSIGN,
    Action.TRANSFER: Perm.TRANSFER,
    Action.STATUS: Perm.STATUS,
    Action.PRIORITY: Perm.STATUS,
    Action.MERGE: Perm.MERGE,
    Action.DELETE: Perm.DELETE,
}


def offered_actions(agent: Agent) -> set[str]:
    """The buttons worth showing: those whose permission the agent holds in some department (from the
    permissions already loaded for the page: no query)."""
    held = ALL_PERMS if agent.is_administrator else frozenset().union(*department_perms(agent).values())
    return {action for action, perm in BUTTON_PERMS.items() if perm in held}


def bar_context(agent: Agent, tickets: list[Ticket]) -> dict[str, Any]:
    """What the queue page needs to show the bar over ``tickets`` (its selects' rows read at once)."""
    form = BulkForm(page_numbers=[(ticket.number, ticket.subject) for ticket in tickets])
    freeze_choices({"bulk": form})
    return {"form": form, "offered": offered_actions(agent)}


@dataclass
class Outcome:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def run(agent: Agent, action: str, data: dict[str, Any], numbers: list[str]) -> Outcome:
    """Apply the action to each ticket in turn. One query finds them all among those the agent may see;
    then each costs what its action costs."""
    found = {
        ticket.number: ticket
        for ticket in visible_tickets(agent).filter(number__in=numbers).select_related(*TICKET_RELATIONS)
    }
    outcome = Outcome()
    operation = OPERATIONS.get(action)
    if action == Action.MERGE:
        target = found.get(data["merge_into"])
        if target is None or data["merge_into"] not in numbers:
            refusal = "Choose the ticket to merge into among the selected."
            outcome.refused.append((data["merge_into"], refusal))
            return outcome
        numbers = [number for number in numbers if number != target.number]
        operation = _merging_into(target)
    assert operation is not None, action
    for number in numbers:
        ticket = found.get(number)
        if ticket is None:
            outcome.refused.append((number, "No such ticket among those you may see."))
            continue
        try:
            operation(agent, ticket, data)
        except (NotAllowed, ValidationError, ValueError) as refusal:
            reason = "; ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
            outcome.refused.append((number, reason or "Not allowed."))
        else:
            outcome.done.append(number)
    return outcome


def _merging_into(target: Ticket) -> Operation:
    return lambda agent, ticket, data: merge_tickets(actor=agent, source=ticket, target=target)


def summary(action: str, data: dict[str, Any], done: list[str]) -> str:
    numbers = ", ".join(f"#{number}" for number in done)
    match action:
        case Action.ASSIGN:
            names = " and ".join(str(who) for who in (data["agent"], data["team"]) if who is not None)
            return f"Assigned to {names}: {numbers}."
        case Action.TRANSFER:
            return f"Transferred to {data['department']}: {numbers}."
        case Action.STATUS:
            return f"Status set to {data['status']}: {numbers}."
        case Action.PRIORITY:
            return f"Priority set to {data['priority']}: {numbers}."
        case Action.MERGE:
            return f"Merged into #{data['merge_into']}: {numbers}."
    return f"Deleted: {numbers}."


@require_POST
@agent_required
def bulk(request: AgentRequest) -> HttpResponse:
    """Apply one action to the selected tickets (at most MAX_BULK) and return to the queue."""
    back = redirect(back_to(request, reverse("staff:queue", args=["open"])))
    numbers = selected_numbers(request.POST)
    form = BulkForm(request.POST)
    if not numbers:
        messages.error(request, "Select the tickets to act on first.")
        return back
    if len(numbers) > MAX_BULK:
        messages.error(request, f"At most {MAX_BULK} tickets at once: {len(numbers)} were selected.")
        return back
    if not form.is_valid():
        for error in form.errors.get("__all__", []) or [form.errors.as_text()]:
            messages.error(request, str(error))
        return back
    action, data = form.cleaned_data["action"], form.cleaned_data
    outcome = run(request.agent, action, data, numbers)
    if outcome.done:
        messages.success(request, summary(action, data, outcome.done))
    if outcome.refused:
        refusals = "; ".join(f"#{number}: {reason}" for number, reason in outcome.refused)
        messages.error(request, f"Not done for {len(outcome.refused)} of the tickets. {refusals}")
    return back
