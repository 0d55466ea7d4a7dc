"""What the API answers when a request fails: ``{"detail": "...", "field": "..." | null}`` with the status
that says why (400 malformed, 401 no valid credential, 403 not allowed, 404 not found or not visible, 409
changed meanwhile, 413 too large, 422 invalid, 429 too many requests, with ``Retry-After``)."""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from helpline.tickets.conflicts import ChangedMeanwhile, NewEntriesArrived
from helpline.tickets.policy import NotAllowed, NotClaimable, NotMergeable, TooManyOpenTickets


class Error(Schema):
    detail: str
    field: str | None = None


class ApiError(Exception):
    def __init__(self, status: int, detail: str, field: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.field = status, detail, field


class RateLimited(ApiError):
    def __init__(self, retry_after: int):
        super().__init__(429, f"Too many requests: try again in {retry_after} seconds.")
        self.retry_after = retry_after


def _answer(api: NinjaAPI, request: HttpRequest, status: int, detail: str, field: str | None = None):
    return api.create_response(request, {"detail": detail, "field": field}, status=status)


def _field_of(location: Any) -> str | None:
    # pydantic's location: ("body", "payload", "subject") or ("query", "sort"); the first parts say
    # where, the rest which field.
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header", "payload")]
    return ".".join(parts) or None


def _validation(api: NinjaAPI, request: HttpRequest, exc: Any) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    field = _field_of(first.get("loc", ()))
    message = str(first.get("msg", "Invalid request."))
    if first.get("type") == "json_invalid":
        return _answer(api, request, 400, "The body is not valid JSON.")
    return _answer(api, request, 422, f"{field}: {message}" if field else message, field)


def _django_validation(api: NinjaAPI, request: HttpRequest, exc: Any) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.message_dict.items()))
        return _answer(api, request, 422, " ".join(errors), None if field == "__all__" else field)
    return _answer(api, request, 422, " ".join(exc.messages))


def install(api: NinjaAPI) -> None:
    """Answer every failure of ``api``'s operations as JSON errors."""

    def handle(kind, status_of):
        api.add_exception_handler(kind, lambda request, exc: _answer(api, request, *status_of(exc)))

    def api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        response = _answer(api, request, exc.status, exc.detail, exc.field)
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        response = _answer(api, request, 401, "A valid API key or personal token is required.")
        response["WWW-Authenticate"] = 'Bearer realm="helpline"'
        return response

    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(NinjaValidationError, lambda request, exc: _validation(api, request, exc))
    api.add_exception_handler(
        DjangoValidationError, lambda request, exc: _django_validation(api, request, exc)
    )
    handle(HttpError, lambda exc: (exc.status_code, exc.message))
    handle(Http404, lambda exc: (404, "Not found."))
    handle(ObjectDoesNotExist, lambda exc: (404, "Not found."))
    handle(TooManyOpenTickets, lambda exc: (429, str(exc)))
    handle(NotClaimable, lambda exc: (409, str(exc)))
    handle(NotMergeable, lambda exc: (409, str(exc)))
    handle(NotAllowed, lambda exc: (403, str(exc)))
    handle(ChangedMeanwhile, lambda exc: (409, str(exc)))
    handle(NewEntriesArrived, lambda exc: (409, str(exc)))
    handle(RequestDataTooBig, lambda exc: (413, "The request is too large."))
