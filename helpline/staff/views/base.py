"""What every staff view shares: the agent gate, the refusal page, and finding a ticket the agent may see."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from helpline.core.prepared import PreparedQuery
from helpline.core.timefmt import activate_zone
from helpline.people.models import Agent
from helpline.tickets.merged import merged_number_target
from helpline.tickets.models import Ticket
from helpline.tickets.policy import sees
from helpline.tickets.queries import visible_tickets

TICKET_RELATIONS = (
    "requester",
    "department",
    "priority",
    "status",
    "assignee__user",
    "team",
    "topic",
    "sla_plan",
)


class AgentRequest(HttpRequest):
    """A request that passed ``agent_required``: the signed-in agent is on it."""

    agent: Agent


def forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "staff/403.html", {"reason": reason}, status=403)


# The signed-in user's agent, on every staff request: compiled once (core.prepared).
_AGENT = PreparedQuery(lambda user_id: Agent.objects.filter(user_id=user_id))


def agent_of(user) -> Agent | None:
    """The user's agent profile (None for a user who is none), kept on the user as ``user.agent`` is."""
    found = _AGENT.first(user.pk)
    if found is None:
        return None
    user.agent = found  # the reverse one-to-one's cache, and the agent's own of its user
    return found


def agent_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Let only active agents in: anonymous visitors go to the login page, other users get 403.

    The view finds the agent on ``request.agent``, and times are shown in the agent's zone. A refusal raised by an action (``NotAllowed``) is
    answered with the 403 page naming what was refused; an Http404 with the staff "not found" page, the
    same for a ticket that does not exist and one the agent may not see.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        agent = agent_of(request.user)
        if agent is None or not agent.is_active:
            return forbidden(request, "This page is for Helpline agents.")
        request.agent = agent  # type: ignore[attr-defined]  # from here on it is an AgentRequest
        activate_zone(agent.time_zone)  # the agent's times, in their zone (reset by TimeZoneMiddleware)
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            merged = _merged_meanwhile(request, kwargs.get("number"))
            if merged is not None:
                return merged
            return forbidden(request, str(refusal) or "You may not do this.")
        except Http404:
            return render(request, "staff/404.html", status=404)

    return wrapper


def _merged_meanwhile(request: HttpRequest, number: str | None) -> HttpResponse | None:
    """A change refused because its ticket was merged into another (while the agent had its page open):
    to the ticket it went into, if the agent may see it, saying nothing was changed."""
    if request.method != "POST" or not number:
        return None
    target = merged_number_target(number)
    agent: Agent = request.agent  # type: ignore[attr-defined]  # set by agent_required
    if target is None or not visible_tickets(agent).filter(pk=target.pk).exists():
        return None
    messages.warning(
        request,
        f"Ticket #{number} was merged into #{target.number}, so nothing was changed: do it here if it "
        "still needs doing.",
    )
    return redirect("staff:ticket", target.number)


# Every ticket page and form reads its ticket so: by number with its relations, compiled once per process
# (compiling the visibility's OR and eight joins took 1.4 of the query's 1.6 ms); the policy then answers
# for the one ticket what visible_tickets(agent) would.
TICKET_BY_NUMBER = PreparedQuery(
    lambda number: Ticket.objects.select_related(*TICKET_RELATIONS).filter(number=number), kinds=(str,)
)


def visible_ticket_or_404(agent: Agent, number: str) -> Ticket:
    """The ticket with this number if the agent may see it; 404 otherwise, so existence is not revealed."""
    if not number.isprintable():  # no number holds a NUL or a control character (PostgreSQL refuses NUL)
        raise Http404
    found = TICKET_BY_NUMBER.first(number)
    if found is None or not sees(agent, found):
        raise Http404
    return found
