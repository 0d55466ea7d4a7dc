"""The ticket page's related tickets: linking another ticket, removing a link, splitting a message off into
a new ticket. Refusals are the 403 page (``agent_required``); bad input re-renders the page with the error."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from helpline.staff.link_forms import LinkForm, SplitForm
from helpline.staff.views.base import AgentRequest, agent_required, visible_ticket_or_404
from helpline.staff.views.ticket_actions import handle
from helpline.tickets.actions import link_tickets, split_entry, unlink_tickets
from helpline.tickets.queries import thread_for, visible_tickets


@require_POST
@agent_required
def link_add(request: AgentRequest, number: str) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)

    def operation(data: dict[str, Any]) -> tuple[str, None]:
        try:
            other = visible_ticket_or_404(request.agent, data["other"])
        except Http404:
            raise ValidationError({"other": f"No ticket #{data['other']} among those you may see."}) from None
        linked = link_tickets(actor=request.agent, ticket=ticket, other=other)
        return (f"Linked to #{other.number}." if linked else f"#{other.number} was linked already."), None

    return handle(request, ticket, "link", LinkForm(request.POST), operation)


@require_POST
@agent_required
def link_remove(request: AgentRequest, number: str, other: str) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)
    linked = visible_ticket_or_404(request.agent, other)
    if unlink_tickets(actor=request.agent, ticket=ticket, other=linked):
        messages.success(request, f"The link to #{linked.number} was removed.")
    return redirect("staff:ticket", ticket.number)


@require_POST
@agent_required
def split(request: AgentRequest, number: str) -> HttpResponse:
    """Open a new ticket from the chosen message; then show the new ticket (or this one, if the new ticket
    went somewhere the agent may not see)."""
    ticket = visible_ticket_or_404(request.agent, number)
    form = SplitForm(request.POST, entries=list(thread_for(request.agent, ticket)))

    def operation(data: dict[str, Any]) -> tuple[str, str | None]:
        entry = ticket.entries.select_related("author_requester").get(pk=data["entry"])
        new = split_entry(actor=request.agent, ticket=ticket, entry=entry)
        if visible_tickets(request.agent).filter(pk=new.pk).exists():
            return f"Ticket #{new.number} was opened from the message.", reverse(
                "staff:ticket", args=[new.number]
            )
        return f"Ticket #{new.number} was opened from the message; you may not see it.", None

    return handle(request, ticket, "split", form, operation)
