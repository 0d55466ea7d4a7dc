"""The search page: a ticket number goes straight to its ticket; an email address lists its requester's
tickets; words find tickets by their text, most relevant first, each with the passage that matched."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from helpline.staff.views.base import AgentRequest, agent_required
from helpline.staff.views.queues import PAGE_SIZE, QUEUE_RELATIONS
from helpline.tickets.search import MAX_RESULTS, NUMBER, search_results

MAX_QUERY = 254


def _page_number(value: str) -> int:
    return int(value) if value.isdigit() and 0 < len(value) < 4 else 1


@require_GET
@agent_required
def search(request: AgentRequest) -> HttpResponse:
    text = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY]
    page = _page_number(request.GET.get("page", ""))
    results = search_results(request.agent, text, page=page, size=PAGE_SIZE, relations=QUEUE_RELATIONS)
    number = NUMBER.fullmatch(text)
    if number and results.hits and results.hits[0].ticket.number == number.group(1):
        return redirect("staff:ticket", number.group(1))  # a number names one ticket: go straight to it
    next_url = (
        f"{request.path}?{urlencode({'q': text, 'page': str(results.page + 1)})}" if results.has_next else ""
    )
    context = {
        "q": text,
        "hits": results.hits,
        "tickets": [hit.ticket for hit in results.hits],
        "page": results.page,
        "next_url": next_url,
        "capped": results.page * PAGE_SIZE >= MAX_RESULTS and not results.has_next and results.hits,
        "now": timezone.now(),
    }
    return render(request, "staff/search.html", context)
