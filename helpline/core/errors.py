"""Error pages that work whatever else is broken: rendered without the request (no session, no user, no
messages, no CSRF processing), so they need neither the database nor a readable request body."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.log import log_response

# A database that refuses connections, went away, timed out or is locked: worth trying again. Other
# database errors (a missing table, a broken query) are faults of the code and answer 500.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
FALLBACK = '<!doctype html><html lang="en"><title>Helpline</title><h1>Error {status}</h1><p>Please try again later.</p>'

logger = logging.getLogger(__name__)


def error_page(template: str, status: int, context: dict | None = None) -> HttpResponse:
    content: str
    try:
        content = render_to_string(template, context)
    except Exception:  # noqa: BLE001 - the last answer there is: it must not fail (say, no static manifest)
        logger.exception("Could not render the error page %s", template)
        content = FALLBACK.format(status=status)
    response = HttpResponse(content, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request_page(reason: str) -> HttpResponse:
    """400 with a short page saying what was wrong with the request and what to do about it."""
    return error_page("core/bad_request.html", 400, {"reason": reason})


def unavailable_page() -> HttpResponse:
    """503 "try again in a moment", with Retry-After for clients and proxies that read it."""
    response = error_page("core/unavailable.html", 503, {"retry_after": RETRY_AFTER_SECONDS})
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``. Django calls it for every exception nothing else answered, also for those raised in
    a middleware (sessions and authentication read the database there), while the exception is being
    handled: so it is the one place where every "database down" ends, wherever it was raised.

    A database outage answers 503 and is logged in one line (Django would log a traceback per request);
    anything else keeps Django's 500 and its traceback."""
    outage = _outage(sys.exception())
    if outage is not None:
        return _unavailable(request, outage)
    return error_page("core/server_error.html", 500)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``. The session middleware turns a failed session save into a 400 ("session
    interrupted"): when the database was the cause, that is an outage too, and answers 503."""
    outage = _outage(exception)
    if outage is not None:
        return _unavailable(request, outage)
    return bad_request_page("The request could not be understood. Go back, reload the page and try again.")


def _outage(exc: BaseException | None) -> BaseException | None:
    """The database outage behind ``exc`` (itself, or what it was raised from or while handling)."""
    for _ in range(10):
        if exc is None or isinstance(exc, UNAVAILABLE):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _unavailable(request: HttpRequest, outage: BaseException) -> HttpResponse:
    response = unavailable_page()
    message = str(outage).strip()
    log_response(
        "Database unavailable (%s: %s): %s",
        type(outage).__name__,
        message.splitlines()[0] if message else "",
        request.path,
        response=response,
        request=request,
    )
    return response
