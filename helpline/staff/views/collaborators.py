"""Copying requesters on a ticket from its page, and taking them off again."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from helpline.people.requesters import Contact
from helpline.staff.forms import CollaboratorForm, MarkerForm
from helpline.staff.views.base import AgentRequest, agent_required, visible_ticket_or_404
from helpline.staff.views.ticket_actions import handle, marker
from helpline.tickets.actions import add_collaborator, remove_collaborator
from helpline.tickets.conflicts import ChangedMeanwhile


@require_POST
@agent_required
def cc_add(request: AgentRequest, number: str) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)

    def operation(data: dict[str, Any]) -> tuple[str, None]:
        contact = Contact(email=data["email"], name=data["name"])
        try:
            requester, added = add_collaborator(
                actor=request.agent, ticket=ticket, person=contact, **marker(data)
            )
        except ValueError as refusal:
            raise ValidationError(str(refusal)) from refusal
        return (
            f"{requester} is now copied on this ticket." if added else f"{requester} is already copied."
        ), None

    return handle(request, ticket, "cc", CollaboratorForm(request.POST), operation)


@require_POST
@agent_required
def cc_remove(request: AgentRequest, number: str, requester_id: int) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)
    requester = get_object_or_404(ticket.collaborators, pk=requester_id)
    form = MarkerForm(request.POST)
    seen = marker(form.cleaned_data if form.is_valid() else {})
    try:
        remove_collaborator(actor=request.agent, ticket=ticket, requester=requester, **seen)
    except ChangedMeanwhile as conflict:  # never, as the rules stand: removing conflicts with nothing
        messages.error(request, str(conflict))
    else:
        messages.success(request, f"{requester} is no longer copied on this ticket.")
    return redirect("staff:ticket", ticket.number)
