"""Taking a ticket: the "Take it" button of the ticket page and of the queues' unassigned rows."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from helpline.staff.forms import MarkerForm
from helpline.staff.views.base import AgentRequest, agent_required, visible_ticket_or_404
from helpline.tickets.actions import claim_ticket
from helpline.tickets.conflicts import ChangedMeanwhile
from helpline.tickets.policy import NotClaimable


def back_to(request: AgentRequest, fallback: str) -> str:
    """Where the button came from when it was a queue of this site (the posted ``next``), else
    ``fallback``: never an address elsewhere."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    queues = reverse("staff:queue_default")
    if safe and not urlsplit(target).netloc and urlsplit(target).path.startswith(queues):
        return target
    return fallback


@require_POST
@agent_required
def claim(request: AgentRequest, number: str) -> HttpResponse:
    """Take the ticket. Refused rights are the 403 page; a ticket someone took meanwhile, a message (the
    ticket page's button carries the version it was shown with, a queue's does not)."""
    ticket = visible_ticket_or_404(request.agent, number)
    ticket_url = reverse("staff:ticket", args=[ticket.number])
    form = MarkerForm(request.POST)
    seen = form.cleaned_data if form.is_valid() else {}
    try:
        claim_ticket(
            actor=request.agent,
            ticket=ticket,
            expected_version=seen.get("version"),
            seen_entry_id=seen.get("seen"),
        )
    except (NotClaimable, ChangedMeanwhile) as refusal:
        messages.error(request, str(refusal))
        return redirect(back_to(request, ticket_url))
    messages.success(request, f"You took ticket #{ticket.number}.")
    return redirect(back_to(request, ticket_url))
