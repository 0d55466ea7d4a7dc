"""The operations posted from the ticket page. Each validates its form, calls the action and redirects
back (POST/redirect/GET). Refusals become the 403 page (see ``agent_required``); a rejected attachment
re-renders the page with the error and status 400, with nothing stored."""

from collections.abc import Callable
from typing import Any, TypedDict

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from helpline.staff import held_uploads
from helpline.staff.forms import (
    AssignForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
    SLAPlanForm,
    StatusForm,
    TransferForm,
)
from helpline.staff.views.base import AgentRequest, agent_required, visible_ticket_or_404
from helpline.staff.views.canned_picker import canned_files
from helpline.staff.views.mentions import mention_report
from helpline.staff.views.stale import WITH_FILES, render_again, render_arrived
from helpline.staff.views.ticket import offered_agents, render_ticket
from helpline.tickets.actions import (
    add_note,
    assign_ticket,
    post_reply,
    set_priority,
    set_sla_plan,
    set_status,
    transfer_ticket,
)
from helpline.tickets.conflicts import ChangedMeanwhile, NewEntriesArrived
from helpline.tickets.models import Ticket
from helpline.tickets.queries import visible_tickets


class Marker(TypedDict):
    expected_version: int | None
    seen_entry_id: int | None


def marker(data: dict[str, Any]) -> Marker:
    """The version and the newest entry the page showed, as the actions take them."""
    return {"expected_version": data.get("version"), "seen_entry_id": data.get("seen")}


# Performs the change with the cleaned data; returns a message and, optionally, where to go next.
Operation = Callable[[dict[str, Any]], tuple[str, str | None]]


def handle(
    request: AgentRequest, ticket: Ticket, name: str, form: forms.Form, operation: Operation
) -> HttpResponse:
    """A form posted with the page's version (``VersionedForm``) that conflicts with what changed since
    comes back current, with what changed (409); a reply others wrote before, with their entries."""
    if form.is_valid():
        try:
            message, next_url = operation(form.cleaned_data)
        except ChangedMeanwhile as conflict:
            return render_again(request, ticket.number, name, str(conflict))
        except NewEntriesArrived as arrived:
            return render_arrived(request, ticket.number, arrived)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, message)
            return redirect(next_url or reverse("staff:ticket", args=[ticket.number]))
    extra = {}
    if name in WITH_FILES and "attachments" not in form.errors:
        # Refused for its text, say: the files it carried (checked) come back with it.
        files = request.FILES.getlist("attachments")
        extra["held_uploads"] = {
            name: held_uploads.keep_for_again(request.agent, ticket, request.POST, files)
        }
    return render_ticket(request, ticket, {name: form}, status=400, extra=extra)


@require_POST
@agent_required
def reply(request: AgentRequest, number: str) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)

    def operation(data: dict[str, Any]) -> tuple[str, None]:
        # With the files of the canned response inserted into it, when its box is ticked, and those kept
        # from a try that was held back (staff.held_uploads).
        held = held_uploads.chosen(request.agent, ticket, request.POST)
        with (
            canned_files(request.agent, ticket, request.POST.get("canned")) as canned,
            held_uploads.opened(held) as kept,
        ):
            post_reply(
                actor=request.agent,
                ticket=ticket,
                body=data["body"],
                attachments=[*data["attachments"], *canned, *kept],
                status=data["status"],
                **marker(data),
            )
        held_uploads.remove(held)
        return "Reply posted.", None

    return handle(request, ticket, "reply", ReplyForm(request.POST, request.FILES), operation)


@require_POST
@agent_required
def note(request: AgentRequest, number: str) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)

    def operation(data: dict[str, Any]) -> tuple[str, None]:
        held = held_uploads.chosen(request.agent, ticket, request.POST)
        with held_uploads.opened(held) as kept:
            entry = add_note(
                actor=request.agent,
                ticket=ticket,
                body=data["body"],
                attachments=[*data["attachments"], *kept],
                **marker(data),
            )
        held_uploads.remove(held)
        return "Internal note added." + mention_report(request, ticket, entry), None

    return handle(request, ticket, "note", NoteForm(request.POST, request.FILES), operation)


@require_POST
@agent_required
def assign(request: AgentRequest, number: str) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)

    def operation(data: dict[str, Any]) -> tuple[str, None]:
        agent = request.agent if data["me"] else data["agent"]
        assign_ticket(actor=request.agent, ticket=ticket, agent=agent, team=data["team"], **marker(data))
        names = [str(who) for who in (agent, data["team"]) if who is not None]
        return (f"Assigned to {' and '.join(names)}." if names else "Unassigned."), None

    form = AssignForm(request.POST, offered=offered_agents(ticket))
    return handle(request, ticket, "assign", form, operation)


@require_POST
@agent_required
def transfer(request: AgentRequest, number: str) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)

    def operation(data: dict[str, Any]) -> tuple[str, str | None]:
        department = data["department"]
        transfer_ticket(actor=request.agent, ticket=ticket, department=department, **marker(data))
        if visible_tickets(request.agent).filter(pk=ticket.pk).exists():
            return f"Transferred to {department}.", None
        # The agent no longer sees the ticket: its page would answer 404.
        message = f"Ticket #{ticket.number} was transferred to {department}; you no longer have access to it."
        return message, reverse("staff:queue", args=["open"])

    return handle(request, ticket, "transfer", TransferForm(request.POST), operation)


@require_POST
@agent_required
def priority(request: AgentRequest, number: str) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)

    def operation(data: dict[str, Any]) -> tuple[str, None]:
        set_priority(actor=request.agent, ticket=ticket, priority=data["priority"], **marker(data))
        return f"Priority set to {data['priority']}.", None

    return handle(request, ticket, "priority", PriorityForm(request.POST), operation)


@require_POST
@agent_required
def sla(request: AgentRequest, number: str) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)

    def operation(data: dict[str, Any]) -> tuple[str, None]:
        plan = data["sla_plan"]
        set_sla_plan(actor=request.agent, ticket=ticket, sla_plan=plan, **marker(data))
        return (f"SLA plan set to {plan.name}." if plan else "SLA plan removed."), None

    return handle(request, ticket, "sla", SLAPlanForm(request.POST), operation)


@require_POST
@agent_required
def status(request: AgentRequest, number: str) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)

    def operation(data: dict[str, Any]) -> tuple[str, None]:
        set_status(actor=request.agent, ticket=ticket, status=data["status"], **marker(data))
        return f"Status set to {data['status']}.", None

    return handle(request, ticket, "status", StatusForm(request.POST), operation)
