"""The three endpoints. Answers are text/plain, as osTicket's are: 201 with the ticket number, or the status
and the reason (one ``field: reason`` line per mistake in a request's fields).

The order of the checks: the method, the API key (401, before any of the body is read), its scope, the
body's size (413), its syntax (400), its fields (400); only then is a ticket opened."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from helpline.api.auth import Caller, caller_for
from helpline.api.errors import RateLimited
from helpline.api.keys import KEY_MARK
from helpline.api.models import Scope
from helpline.api.osticket.fields import Refused, read_request
from helpline.api.osticket.formats import Malformed, read_json, read_xml
from helpline.api.osticket.opening import NowhereToRoute, open_requested
from helpline.inbound.intake import receive_email
from helpline.inbound.models import RawMessage
from helpline.inbound.outcomes import Outcome
from helpline.inbound.store import TooLarge
from helpline.tickets.actions import RejectedByRule
from helpline.tickets.policy import NotAllowed


class Answer(Exception):
    """Stop here and answer ``status`` with ``text``."""

    def __init__(self, status: int, text: str, headers: dict[str, str] | None = None):
        super().__init__(text)
        self.status, self.text, self.headers = status, text, headers or {}


def text_answer(status: int, text: str, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _caller(request: HttpRequest) -> Caller:
    """The API key of the request, holding the tickets:create scope. osTicket's keys are the only
    credential here (a personal token acts for an agent, which osTicket's API has no notion of)."""
    raw = request.headers.get("X-API-Key", "").strip()
    try:
        found = caller_for(request, raw) if raw.startswith(f"{KEY_MARK}_") else None
    except RateLimited as limited:
        raise Answer(429, limited.detail, {"Retry-After": str(limited.retry_after)}) from None
    if found is None:
        raise Answer(401, "Valid API key required")
    if Scope.CREATE not in found.scopes:
        raise Answer(401, "API key not authorized")
    return found


def _body(request: HttpRequest) -> bytes:
    """The body, at most HELPLINE_MAX_EMAIL_BYTES (the largest email the desk takes in: a request carries
    the same attachments an email would). Read from the stream, past Django's limit for form posts."""
    limit = settings.HELPLINE_MAX_EMAIL_BYTES
    too_large = Answer(413, f"The request is larger than {limit:,} bytes.")
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        raise Answer(400, "Content-Length is not a number.") from None
    if declared > limit:
        raise too_large
    body = request.read(limit + 1)
    if len(body) > limit:
        raise too_large
    return body


def _open(request: HttpRequest, caller: Caller, read: Callable[[bytes], Any]) -> HttpResponse:
    try:
        ticket_request = read_request(read(_body(request)))
        ticket = open_requested(ticket_request, actor=caller.actor)
    except (Malformed, Refused, NowhereToRoute) as refusal:
        return text_answer(400, str(refusal))
    except ValidationError as error:
        return text_answer(400, "\n".join(error.messages))
    except RejectedByRule as rejection:
        return text_answer(403, f"Ticket denied: {rejection}")
    except NotAllowed as refusal:
        return text_answer(403, str(refusal))
    return text_answer(201, ticket.number)


def _endpoint(handle: Callable[[HttpRequest, Caller], HttpResponse]):
    @csrf_exempt  # an API key authenticates these requests, never a cookie
    def view(request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            # osTicket answers 400 "URL not supported"; 405 says what is wrong and what is allowed.
            return text_answer(405, "Only POST is supported: this API opens tickets.", {"Allow": "POST"})
        try:
            return handle(request, _caller(request))
        except Answer as answer:
            return text_answer(answer.status, answer.text, answer.headers)

    return view


def _raw_email(request: HttpRequest, caller: Caller) -> HttpResponse:
    """A raw RFC 5322 message, through the same intake as the mail pipe: stored first, deduplicated, a
    reply threaded onto its ticket. The same message posted again answers the same ticket number."""
    try:
        result = receive_email(_body(request), source=RawMessage.Source.API)
    except TooLarge as refusal:
        return text_answer(413, str(refusal))
    if result.ticket is not None and result.outcome not in (Outcome.REJECTED, Outcome.FAILED):
        return text_answer(201, result.ticket.number)
    if result.outcome == Outcome.FAILED:
        # Kept and retried by the intake: a server's fault, not the client's; posting it again is safe.
        return text_answer(500, "The message is stored but could not be processed now; it will be retried.")
    return text_answer(400, result.reason or result.raw.reason or "The message was not accepted.")


tickets_json = _endpoint(lambda request, caller: _open(request, caller, read_json))
tickets_xml = _endpoint(lambda request, caller: _open(request, caller, read_xml))
tickets_email = _endpoint(_raw_email)
