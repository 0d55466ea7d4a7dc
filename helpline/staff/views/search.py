"""Find a ticket by its number or its requester's email address, from the box in the navigation."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from helpline.core.pagination import keyset_page
from helpline.staff.views.base import AgentRequest, agent_required
from helpline.staff.views.queues import PAGE_SIZE, QUEUE_RELATIONS
from helpline.tickets.search import NUMBER, search_tickets

MAX_QUERY = 254


@require_GET
@agent_required
def search(request: AgentRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:MAX_QUERY]
    found = search_tickets(request.agent, text).select_related(*QUEUE_RELATIONS)
    if NUMBER.fullmatch(text):
        ticket = found.first()
        if ticket is not None:  # a number names one ticket: go straight to it
            return redirect("staff:ticket", ticket.number)
    page = keyset_page(
        found, field="created_at", descending=True, cursor=request.GET.get("after"), size=PAGE_SIZE
    )
    next_url = (
        f"{request.path}?{urlencode({'q': text, 'after': page.next_cursor})}" if page.next_cursor else ""
    )
    context = {"q": text, "tickets": page.rows, "next_url": next_url, "now": timezone.now()}
    return render(request, "staff/search.html", context)
