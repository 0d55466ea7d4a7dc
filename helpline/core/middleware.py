"""Request-wide pieces of the page machinery."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class TimeZoneMiddleware:
    """Every request starts in the desk's time zone and leaves no zone behind.

    The doors activate the zone of the person they recognise (``core.timefmt.activate_zone``: the
    staff panel the signed-in agent's, the portal the requester named by the access link). Django keeps
    the active zone per thread, and a server thread serves many people in turn: without this reset one
    agent's zone would show on the next visitor's page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
