"""The queues: the agent's lists of tickets, sortable and paged by keyset."""

from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from helpline.core.pagination import keyset_page
from helpline.staff.views.base import AgentRequest, agent_required
from helpline.staff.views.bulk import bar_context
from helpline.tickets.policy import can_claim
from helpline.tickets.queries import COUNT_CAP, QUEUES, queue_counts, queue_tickets

PAGE_SIZE = 25
DEFAULT_SORT = "-updated"
# The overdue queue opens on the most overdue first (and the (state, due_at) index serves it).
QUEUE_DEFAULT_SORTS = {"overdue": "due"}
# Sort key -> (ordered field, the direction a first click on its header asks for).
SORTS = {
    "updated": ("updated_at", "-"),
    "created": ("created_at", "-"),
    "number": ("number", ""),
    "priority": ("urgency", "-"),
    "due": ("due_at", ""),
}
QUEUE_RELATIONS = ("requester", "department", "priority", "status", "assignee__user", "team")
# The table's columns in order; the key names the sort a header link asks for (empty: not sortable).
HEADERS = [
    ("number", "Number"),
    ("", "Subject"),
    ("", "Requester"),
    ("", "Department"),
    ("priority", "Priority"),
    ("", "Status"),
    ("", "Assigned to"),
    ("created", "Created"),
    ("updated", "Updated"),
    ("due", "Due"),
]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    url: str  # empty for a column the table cannot be sorted by
    direction: str  # "ascending", "descending" or "" when the table is not sorted by this column


def parse_sort(raw: str | None, default: str = DEFAULT_SORT) -> tuple[str, bool]:
    """The sort key and whether it descends; anything unknown falls back to the default."""
    raw = raw or default
    key = raw.removeprefix("-")
    if key not in SORTS:
        return parse_sort(default)
    return key, raw.startswith("-")


def table_headers(queue_url: str, key: str, descending: bool) -> list[Column]:
    """Header links: a click on the current column reverses it, on another sorts by its usual direction."""
    headers = []
    for name, label in HEADERS:
        if not name:
            headers.append(Column(name, label, "", ""))
            continue
        if name == key:
            target = name if descending else f"-{name}"
            direction = "descending" if descending else "ascending"
        else:
            target, direction = f"{SORTS[name][1]}{name}", ""
        headers.append(Column(name, label, f"{queue_url}?{urlencode({'sort': target})}", direction))
    return headers


@require_GET
@agent_required
def queue(request: AgentRequest, queue: str) -> HttpResponse:
    if queue not in QUEUES:
        raise Http404
    agent = request.agent
    key, descending = parse_sort(request.GET.get("sort"), QUEUE_DEFAULT_SORTS.get(queue, DEFAULT_SORT))
    sort = f"{'-' if descending else ''}{key}"
    page = keyset_page(
        queue_tickets(agent, queue).select_related(*QUEUE_RELATIONS),
        field=SORTS[key][0],
        descending=descending,
        cursor=request.GET.get("after"),
        size=PAGE_SIZE,
    )
    counts = queue_counts(agent)
    next_url = (
        f"{request.path}?{urlencode({'sort': sort, 'after': page.next_cursor})}" if page.next_cursor else ""
    )
    context = {
        "queue": queue,
        "queue_title": QUEUES[queue],
        "tabs": [(name, title, counts[name]) for name, title in QUEUES.items()],
        "count_cap": COUNT_CAP,
        "tickets": page.rows,
        # Rows with a "Take it" button: exactly those the claiming action would accept (no query per row).
        "claimable": {ticket.pk for ticket in page.rows if can_claim(agent, ticket)},
        "here": request.get_full_path(),
        "headers": table_headers(request.path, key, descending),
        "sort": sort,
        "next_url": next_url,
        "now": timezone.now(),
        "bulk": bar_context(agent, page.rows),
    }
    return render(request, "staff/queue.html", context)
