"""Deleting a ticket: a confirmation page (GET) and the deletion itself (POST), no JavaScript needed."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from helpline.people.permissions import Perm
from helpline.staff.views.base import AgentRequest, agent_required, visible_ticket_or_404
from helpline.tickets.actions import delete_ticket
from helpline.tickets.policy import require


@require_http_methods(["GET", "POST"])
@agent_required
def ticket_delete(request: AgentRequest, number: str) -> HttpResponse:
    """GET asks for confirmation and changes nothing; POST deletes and returns to the open queue."""
    ticket = visible_ticket_or_404(request.agent, number)
    if request.method != "POST":
        # The action decides on POST; asking here too spares a confirmation that could only be refused.
        require(request.agent, Perm.DELETE, ticket)
        return render(request, "staff/ticket_delete.html", {"ticket": ticket})
    subject = ticket.subject
    deleted = delete_ticket(actor=request.agent, ticket=ticket)
    messages.success(request, f"Ticket #{deleted} ({subject}) was deleted.")
    return redirect("staff:queue", "open")
