"""The small partials the staff pages poll with htmx: the queue counts in the navigation, and whether a
ticket's thread has new entries. Each is a fixed handful of queries; a page without JavaScript never asks."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from helpline.staff.navigation import nav_queues
from helpline.staff.views.base import AgentRequest, agent_required
from helpline.tickets.queries import QUEUES, queue_counts, visible_tickets
from helpline.tickets.related import NEW_ENTRIES_READ, entries_since

NOTHING_NEW = 204  # htmx leaves the page as it is on "204 No Content"


def polled(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A partial asked for in the background: when the session has ended it answers "nothing new"
    rather than the sign-in page, which htmx would otherwise follow and swap into the page."""
    gated = agent_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return HttpResponse(status=NOTHING_NEW)
        return gated(request, *args, **kwargs)

    return wrapper


@require_GET
@polled
def nav_counts(request: AgentRequest) -> HttpResponse:
    """The navigation's queue links with their counts (each counted up to COUNT_CAP), to replace the
    links the page was served with; ``current`` names the page's own link. ``tabs`` (a queue's name):
    the queue page's tabs too, with the same counts, swapped in out of band. The queue page is served
    without them: the eight counts were half of its time at a million tickets."""
    current, tab = request.GET.get("current", ""), request.GET.get("tabs", "")
    counted = nav_queues(queue_counts(request.agent))
    context = {
        "nav_queues": counted,
        "current": current,
        "counted": True,
        "tabs": counted if tab in QUEUES else None,
        "queue": tab,
    }
    return render(request, "staff/_nav_counts.html", context)


@require_GET
@polled
def ticket_updates(request: AgentRequest, number: str) -> HttpResponse:
    """A banner when entries the agent may read arrived after ``after`` (the last entry id the page
    shows), written by someone else; "204 No Content" when there are none."""
    agent = request.agent
    ticket = get_object_or_404(visible_tickets(agent).only("pk", "number"), number=number)
    try:
        after = int(request.GET.get("after", ""))
    except ValueError:
        return HttpResponse("The last entry id is missing or not a number.", status=400)
    new = entries_since(agent, ticket, after)
    if not new:
        return HttpResponse(status=NOTHING_NEW)
    context = {
        "ticket": ticket,
        "new": new,
        "more": len(new) >= NEW_ENTRIES_READ,
        "first": new[0],
        "latest": new[-1],
    }
    return render(request, "staff/ticket/_new_entries_banner.html", context)
