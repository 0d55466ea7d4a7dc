"""Sending to a requester's address again after it kept bouncing (it was fixed, or they asked)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from helpline.audit.log import record
from helpline.mail.bounces import release
from helpline.people.permissions import Perm
from helpline.staff.views.base import AgentRequest, agent_required, visible_ticket_or_404
from helpline.tickets.policy import require


@require_POST
@agent_required
def release_mail(request: AgentRequest, number: str) -> HttpResponse:
    """The edit permission on the ticket (the one that manages who hears about it); on the audit record."""
    ticket = visible_ticket_or_404(request.agent, number)
    require(request.agent, Perm.EDIT, ticket)
    address = ticket.requester.email
    if release(address):
        record(
            actor=request.agent,
            action="bouncing_address.released",
            target_type="address",
            target_id=address,
            target_repr=address,
            data={"ticket": ticket.number},
        )
        messages.success(request, f"Email to {address} is sent again from now on.")
    return redirect("staff:ticket", ticket.number)
