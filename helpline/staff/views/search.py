"""Find tickets by their number, their requester's email address or words, from the box in the navigation.

Words are ranked: most relevant first, each ticket with the passage that matched, within the list filters.
A column header sorts the same tickets by that column instead (keyset pages, as the queues), and a saved
search keeps its filters and that sort."""

from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from helpline.core.whole_numbers import whole_number
from helpline.staff.saved_queue_form import SavedQueueForm
from helpline.staff.views.base import AgentRequest, agent_required
from helpline.staff.views.lists import filtered, list_context
from helpline.staff.views.queues import PAGE_SIZE, QUEUE_RELATIONS, filter_panel
from helpline.tickets.merged import merged_number_target
from helpline.tickets.queries import visible_tickets
from helpline.tickets.search import MAX_RESULTS, NUMBER, search_results, search_tickets

MAX_QUERY = 254
SEARCH_SORT = "-created"


def search_words(query: QueryDict) -> str:
    """The words a search asks for (``q``), as the search and a saved search keep them: no NUL (no text
    column takes one), at most MAX_QUERY characters."""
    return query.get("q", "").replace("\x00", "").strip()[:MAX_QUERY]


def _page_number(value: str) -> int:
    return whole_number(value, max_digits=3) or 1


@require_GET
@agent_required
def search(request: AgentRequest) -> HttpResponse:
    text = search_words(request.GET)
    form, filters = filter_panel(request)
    keep = {"q": text} | (filters.to_params() if filters is not None else {})
    context = {
        "q": text,
        "filter_form": form,
        "filtered": len(keep) > 1,
        "clear_url": f"{request.path}?{urlencode({'q': text})}",
        "save_base": "search" if text else "",
    }
    status = 200 if filters is not None else 400
    if request.GET.get("sort"):
        found = filtered(search_tickets(request.agent, text), filters, request)
        context |= list_context(request, found, keep=keep, default_sort=SEARCH_SORT)
        context["save_params"] = urlencode({**keep, "sort": str(context["sort"])})
        return render(request, "staff/search.html", context, status=status)

    page = _page_number(request.GET.get("page", ""))
    results = search_results(
        request.agent,
        text,
        page=page,
        size=PAGE_SIZE,
        relations=QUEUE_RELATIONS,
        narrow=lambda tickets: filtered(tickets, filters, request),
    )
    if number := NUMBER.fullmatch(text):
        if results.hits and results.hits[0].ticket.number == number.group(1):
            return redirect("staff:ticket", number.group(1))  # a number names one ticket: go straight to it
        merged = merged_number_target(number.group(1))
        if merged is not None and visible_tickets(request.agent).filter(pk=merged.pk).exists():
            # A merged ticket the agent could not see, merged into one they can: its number leads there.
            return redirect("staff:ticket", merged.number)
    query = urlencode({**keep, "page": str(results.page + 1)})
    context |= {
        "hits": results.hits,
        "tickets": [hit.ticket for hit in results.hits],
        "page": results.page,
        "next_url": f"{request.path}?{query}" if results.has_next else "",
        "capped": results.page * PAGE_SIZE >= MAX_RESULTS and not results.has_next and results.hits,
        "sorted_url": f"{request.path}?{urlencode({**keep, 'sort': SEARCH_SORT})}",
        "save_form": SavedQueueForm(agent=request.agent),
        "save_params": urlencode({**keep, "sort": SEARCH_SORT}),
        "now": timezone.now(),
    }
    return render(request, "staff/search.html", context, status=status)
