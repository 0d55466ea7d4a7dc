"""Find tickets by their number, their requester's email address or words, from the box in the navigation;
the results take the same filters and sorts as the queues."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from helpline.staff.views.base import AgentRequest, agent_required
from helpline.staff.views.lists import filtered, list_context
from helpline.staff.views.queues import filter_panel
from helpline.tickets.search import NUMBER, search_tickets

MAX_QUERY = 254
SEARCH_SORT = "-created"


@require_GET
@agent_required
def search(request: AgentRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:MAX_QUERY]
    form, filters = filter_panel(request)
    found = filtered(search_tickets(request.agent, text), filters, request)
    if NUMBER.fullmatch(text):
        ticket = found.first()
        if ticket is not None:  # a number names one ticket: go straight to it
            return redirect("staff:ticket", ticket.number)
    keep = {"q": text} | (filters.to_params() if filters is not None else {})
    context = list_context(request, found, keep=keep, default_sort=SEARCH_SORT)
    context |= {
        "q": text,
        "filter_form": form,
        "filtered": len(keep) > 1,
        "clear_url": f"{request.path}?{urlencode({'q': text})}",
        "save_base": "search" if text else "",
        "save_params": urlencode({**keep, "sort": context["sort"]}),
    }
    return render(request, "staff/search.html", context, status=200 if filters is not None else 400)
