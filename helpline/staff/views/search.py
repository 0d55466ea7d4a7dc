"""Find a ticket by its number or its requester's email address, from the box in the navigation."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from helpline.core.pagination import keyset_page
from helpline.staff.views.base import AgentRequest, agent_required
from helpline.staff.views.queues import PAGE_SIZE, QUEUE_RELATIONS
from helpline.tickets.merged import merged_number_target
from helpline.tickets.queries import visible_tickets
from helpline.tickets.search import NUMBER, search_tickets

MAX_QUERY = 254


@require_GET
@agent_required
def search(request: AgentRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:MAX_QUERY]
    found = search_tickets(request.agent, text).select_related(*QUEUE_RELATIONS)
    if number := NUMBER.fullmatch(text):
        ticket = found.first()
        if ticket is not None:  # a number names one ticket: go straight to it
            return redirect("staff:ticket", ticket.number)
        merged = merged_number_target(number.group(1))
        if merged is not None and visible_tickets(request.agent).filter(pk=merged.pk).exists():
            # A merged ticket the agent could not see, merged into one they can: its number leads there.
            return redirect("staff:ticket", merged.number)
    page = keyset_page(
        found, field="created_at", descending=True, cursor=request.GET.get("after"), size=PAGE_SIZE
    )
    next_url = (
        f"{request.path}?{urlencode({'q': text, 'after': page.next_cursor})}" if page.next_cursor else ""
    )
    context = {"q": text, "tickets": page.rows, "next_url": next_url, "now": timezone.now()}
    return render(request, "staff/search.html", context)
