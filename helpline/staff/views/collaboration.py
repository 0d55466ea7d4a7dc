"""Working one ticket together: following it, the soft lock of whoever is replying, and the entries others
wrote since a page was loaded."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from helpline.people.models import Agent
from helpline.staff.views.base import AgentRequest, agent_required, visible_ticket_or_404
from helpline.tickets.actions import follow_ticket, unfollow_ticket
from helpline.tickets.actions.following import is_following
from helpline.tickets.conflicts import new_words_since
from helpline.tickets.models import Ticket
from helpline.tickets.reply_locks import hold_reply_lock, live_reply_lock, release_reply_lock


def collaboration_context(agent: Agent, ticket: Ticket) -> dict:
    """What the ticket page shows of the others: whether the agent follows it, and who is replying (two
    queries, whatever the ticket)."""
    lock = live_reply_lock(ticket)
    return {
        "following": is_following(agent, ticket),
        "reply_lock": lock,
        "replying_myself": lock is not None and lock.agent_id == agent.pk,
    }


@require_POST
@agent_required
def follow(request: AgentRequest, number: str) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)
    follow_ticket(actor=request.agent, ticket=ticket)
    messages.success(
        request, "You follow this ticket: you will hear of its replies, notes and status changes."
    )
    return redirect("staff:ticket", ticket.number)


@require_POST
@agent_required
def unfollow(request: AgentRequest, number: str) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)
    unfollow_ticket(actor=request.agent, ticket=ticket)
    messages.success(request, "You no longer follow this ticket.")
    return redirect("staff:ticket", ticket.number)


@require_POST
@agent_required
def replying(request: AgentRequest, number: str) -> HttpResponse:
    """Take or renew the soft lock on replying. The page's script posts here while the reply's text
    changes (204); the "Reply" button, for a browser without JavaScript, posts ``open`` and comes back to
    the reply form."""
    ticket = visible_ticket_or_404(request.agent, number)
    lock = hold_reply_lock(agent=request.agent, ticket=ticket)
    if "open" not in request.POST:
        return HttpResponse(status=204)
    if lock.agent_id != request.agent.pk:
        messages.info(request, f"{lock.agent.display_name} is replying already; you may reply as well.")
    return redirect(reverse("staff:ticket", args=[ticket.number]) + "#reply")


@require_POST
@agent_required
def replying_stop(request: AgentRequest, number: str) -> HttpResponse:
    """Cancel a reply: the others no longer see the agent as replying."""
    ticket = visible_ticket_or_404(request.agent, number)
    release_reply_lock(agent=request.agent, ticket=ticket)
    messages.success(request, "Reply cancelled.")
    return redirect("staff:ticket", ticket.number)


@require_GET
@agent_required
def new_entries(request: AgentRequest, number: str, seen: int) -> HttpResponse:
    """The messages, responses and notes others wrote after entry ``seen``, as a fragment of the ticket
    page (empty when there are none): for a page that looks for them while the agent writes."""
    ticket = visible_ticket_or_404(request.agent, number)
    arrived = new_words_since(ticket, seen, reader_agent_id=request.agent.pk)
    return render(request, "staff/ticket/_new_entries.html", {"ticket": ticket, "new_entries": arrived})
