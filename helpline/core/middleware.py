"""Request-wide middleware: forms nothing further down can read, and the time zone of each request."""

from collections.abc import Callable

from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.log import log_response

from helpline.core.errors import bad_request_page
from helpline.core.timefmt import deactivate_zone

FORM_ENCODING_REASON = (
    "The form was sent in a character encoding Helpline does not read ({charset}): forms are read as "
    "UTF-8 only. Go back, reload the page and send the form again."
)
UNREADABLE_REASON = "The form could not be read. Go back, reload the page and send the form again."


class UnreadableFormMiddleware:
    """Answer a form post that Django refuses to read with one 400 page and one log line.

    Django raises BadRequest for an ``application/x-www-form-urlencoded`` post declaring a charset other
    than UTF-8 (utf-7, latin-1, utf-16...) each time ``request.POST`` is read, and does not remember the
    failure. Its error views read ``request.POST`` again (their CSRF token handling), so every layer of
    middleware re-raised it: two dozen tracebacks and, at the end, a 500 from the WSGI server. Reading
    the form here, before the CSRF check, sessions or views, answers it once. Placed after the security
    and static-file middleware, before everything that may read the body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - parsed now, once; Django keeps the result on the request
            except RequestDataTooBig:
                # Left unread: a form view reading it still gets Django's 400, and a view that reads its
                # body as a stream (the osTicket API, which ``curl -d`` posts as a form) reads it whole.
                pass
            except BadRequest as refusal:  # the only BadRequest that reading the form raises
                charset = (request.content_params or {}).get("charset", "")[:40]
                reason = FORM_ENCODING_REASON.format(charset=charset) if charset else UNREADABLE_REASON
                response = bad_request_page(reason)
                # One line, no traceback; marks the response so Django does not log it a second time.
                log_response(
                    "Refused a form post Django cannot read (charset %r: %s): %s",
                    charset,
                    "only UTF-8 is read" if charset else refusal,
                    request.path,
                    response=response,
                    request=request,
                )
                return response
        return self.get_response(request)


class TimeZoneMiddleware:
    """Every request starts in the desk's time zone and leaves no zone behind.

    The doors activate the zone of the person they recognise (``core.timefmt.activate_zone``: the
    staff panel the signed-in agent's, the portal the requester named by the access link). Django keeps
    the active zone per thread, and a server thread serves many people in turn: without this reset one
    agent's zone would show on the next visitor's page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        deactivate_zone()
        try:
            return self.get_response(request)
        finally:
            deactivate_zone()
