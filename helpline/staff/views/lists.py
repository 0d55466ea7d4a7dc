"""One list of tickets as every staff list shows it (a queue, search results, a saved queue): filtered,
sorted by a column, paged by keyset, counted up to a cap; each link on it keeps its filters."""

from collections.abc import Sequence

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.http import urlencode

from helpline.core.pagination import keyset_page
from helpline.staff.field_columns import chosen_fields, fill_cells
from helpline.staff.filters import TicketFilters
from helpline.staff.saved_queue_form import SavedQueueForm
from helpline.staff.sorting import (
    COLUMN_KEYS,
    COLUMNS,
    PAGE_SIZE,
    QUEUE_RELATIONS,
    SORTS,
    parse_sort,
    table_headers,
)
from helpline.staff.views.base import AgentRequest
from helpline.tickets.models import Ticket
from helpline.tickets.policy import can_claim
from helpline.tickets.queries import COUNT_CAP


def list_context(
    request: AgentRequest,
    tickets: QuerySet[Ticket],
    *,
    keep: dict[str, str],
    default_sort: str,
    columns: list[str] | None = None,
    branches: Sequence[Q] = (),
) -> dict:
    """The context of a list page: one page of ``tickets`` (already filtered) in the asked sort, the
    header and next-page links (which keep ``keep``, the list's other parameters), and the count of the
    whole list up to COUNT_CAP + 1. ``columns``: the optional columns shown (None: all). ``branches``:
    the parts the page is read in (``tickets.queries.queue_branches``)."""
    agent = request.agent
    key, descending = parse_sort(request.GET.get("sort"), default_sort)
    sort = f"{'-' if descending else ''}{key}"
    page = keyset_page(
        tickets.select_related(*QUEUE_RELATIONS),
        field=SORTS[key][0],
        descending=descending,
        cursor=request.GET.get("after"),
        size=PAGE_SIZE,
        branches=branches,
    )
    next_url = (
        f"{request.path}?{urlencode({**keep, 'sort': sort, 'after': page.next_cursor})}"
        if page.next_cursor
        else ""
    )
    shown = COLUMN_KEYS if columns is None else columns
    field_columns = chosen_fields(columns)
    fill_cells(page.rows, field_columns)
    hidden = {key: True for key in COLUMN_KEYS if key not in shown}
    return {
        "tickets": page.rows,
        "total": tickets.order_by()[: COUNT_CAP + 1].count(),
        "count_cap": COUNT_CAP,
        # Rows with a "Take it" button: exactly those the claiming action would accept (no query per row).
        "claimable": {ticket.pk for ticket in page.rows if can_claim(agent, ticket)},
        "here": request.get_full_path(),
        "headers": table_headers(
            request.path, key, descending, keep, frozenset(label for key, label in COLUMNS if key in hidden)
        ),
        "hide": hidden,
        "field_columns": field_columns,
        "sort": sort,
        "next_url": next_url,
        "now": timezone.now(),
        "save_form": SavedQueueForm(agent=agent),
    }


def filtered(
    tickets: QuerySet[Ticket], filters: TicketFilters | None, request: AgentRequest
) -> QuerySet[Ticket]:
    """``tickets`` narrowed by ``filters``; none at all (None: the filters were not valid)."""
    if filters is None:
        return tickets.none()
    return filters.apply(tickets, request.agent)
