"""Only Helpline administrators enter the administration area."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from helpline.core.timefmt import activate_zone
from helpline.people.models import Agent


class AdministratorRequest(HttpRequest):
    """A request that passed ``administrator_required``: the signed-in administrator is on it."""

    agent: Agent


def administrator_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Anonymous visitors go to the staff sign-in; agents who are not administrators, and other users,
    get the 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        agent: Agent | None = getattr(request.user, "agent", None)
        if agent is None or not agent.is_active or not agent.is_administrator:
            return refused(request)
        request.agent = agent  # type: ignore[attr-defined]  # from here on it is an AdministratorRequest
        activate_zone(agent.time_zone)  # the administrator's times and dates (reset by TimeZoneMiddleware)
        return view(request, *args, **kwargs)

    return wrapper


def refused(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/403.html",
        {"reason": "The administration area is for Helpline administrators."},
        status=403,
    )
