"""Revoking the private links sent about a ticket, from its page."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from helpline.staff.views.base import AgentRequest, agent_required, visible_ticket_or_404
from helpline.tickets.actions import revoke_access_links


@require_POST
@agent_required
def revoke_links(request: AgentRequest, number: str) -> HttpResponse:
    """The edit permission on the ticket (the action checks it: NotAllowed answers 403)."""
    ticket = visible_ticket_or_404(request.agent, number)
    revoke_access_links(actor=request.agent, ticket=ticket)
    messages.success(
        request,
        "The links sent so far no longer open this ticket. The next email to the requester and each "
        "collaborator carries a new one, and the portal's status page sends one on request.",
    )
    return redirect("staff:ticket", ticket.number)
