"""The queues: the agent's lists of tickets, filtered, sortable and paged by keyset."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from helpline.staff.choices import freeze_choices
from helpline.staff.filters import FilterForm, TicketFilters
from helpline.staff.navigation import nav_queues
from helpline.staff.sorting import (  # noqa: F401 - where the other lists and tests find them
    DEFAULT_SORT,
    PAGE_SIZE,
    QUEUE_RELATIONS,
    SORTS,
    parse_sort,
    table_headers,
)
from helpline.staff.views.base import AgentRequest, agent_required
from helpline.staff.views.bulk import bar_context
from helpline.staff.views.lists import filtered, list_context
from helpline.tickets.queries import QUEUES, queue_branches, queue_tickets

# The overdue queue opens on the most overdue first (and the (state, due_at) index serves it).
QUEUE_DEFAULT_SORTS = {"overdue": "due"}


def filter_panel(request: AgentRequest) -> tuple[FilterForm, TicketFilters | None]:
    """The filter form read from the request, and the filters it asks for (None when a value is bad). Its
    selects' rows are read at once (staff.choices)."""
    form = FilterForm(request.GET)
    freeze_choices({"filter": form})
    return form, form.filters() if form.is_valid() else None


@require_GET
@agent_required
def queue(request: AgentRequest, queue: str) -> HttpResponse:
    if queue not in QUEUES:
        raise Http404
    agent = request.agent
    form, filters = filter_panel(request)
    tickets = filtered(queue_tickets(agent, queue), filters, request)
    keep = filters.to_params() if filters is not None else {}
    context = list_context(
        request,
        tickets,
        keep=keep,
        default_sort=QUEUE_DEFAULT_SORTS.get(queue, DEFAULT_SORT),
        branches=queue_branches(agent, queue),
    )
    context |= {
        "queue": queue,
        "queue_title": QUEUES[queue],
        "tabs": nav_queues(),  # counted with the navigation's links, after the page (views.live)
        "filter_form": form,
        "filtered": bool(keep),
        "clear_url": request.path,
        "save_base": queue,
        "save_params": urlencode({**keep, "sort": context["sort"]}),
        "bulk": bar_context(agent, context["tickets"]),
    }
    return render(request, "staff/queue.html", context, status=200 if filters is not None else 400)
