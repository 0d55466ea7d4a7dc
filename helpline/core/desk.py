"""The desk-wide settings in effect: the administrator's row over the deployment's settings.

Read once per request (``DeskSettingsMiddleware`` scopes the cache to it, so a change shows on the next
request of every server process) and once per call outside requests (tasks, commands); the row itself is
kept in the process until it changes (``core.configuration``), so a read costs the check of a token."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.functional import lazy


@dataclass(frozen=True)
class Desk:
    desk_name: str
    time_zone: str  # "" for the deployment's TIME_ZONE
    date_format: str
    ticket_number_digits: int
    max_attachment_bytes: int
    max_attachments: int
    allowed_extensions: frozenset[str]  # empty: any not refused anyway
    portal_open_tickets: bool
    reopen_days: int


_current: ContextVar[Desk | None] = ContextVar("desk_settings", default=None)
_in_request: ContextVar[bool] = ContextVar("desk_settings_in_request", default=False)


def _at_most(value: int | None, ceiling: int) -> int:
    return ceiling if value is None else min(value, ceiling)


def load() -> Desk:
    """The settings in effect. The row is kept in the process until it changes (``core.configuration``);
    the deployment's settings under it are read each time."""
    from helpline.core import configuration

    return _of(configuration.cached("core.desk", _stored))


def _stored():
    from helpline.core.models import DeskSettings

    return DeskSettings.objects.filter(pk=1).first() or DeskSettings(pk=1)


def deployment() -> Desk:
    """The deployment's settings alone, read from no database (for code that must not query)."""
    from helpline.core.models import DeskSettings

    return _of(DeskSettings(pk=1))


def _of(row) -> Desk:
    from helpline.core.models import DateFormat

    return Desk(
        desk_name=row.desk_name or "Helpline",
        time_zone=row.time_zone,
        date_format=row.date_format or DateFormat.DAY_MONTH_YEAR,
        ticket_number_digits=row.ticket_number_digits or settings.HELPLINE_TICKET_NUMBER_DIGITS,
        max_attachment_bytes=_at_most(row.max_attachment_bytes, settings.HELPLINE_MAX_ATTACHMENT_BYTES),
        max_attachments=_at_most(row.max_attachments, settings.HELPLINE_MAX_ATTACHMENTS),
        allowed_extensions=frozenset(
            row.allowed_extensions.lower().replace(",", " ").replace(".", "").split()
        ),
        portal_open_tickets=row.portal_open_tickets,
        reopen_days=settings.HELPLINE_EMAIL_REOPEN_DAYS if row.reopen_days is None else row.reopen_days,
    )


def desk() -> Desk:
    """The settings in effect (cached for the rest of the request)."""
    cached = _current.get()
    if cached is None:
        cached = load()
        if _in_request.get():
            _current.set(cached)
    return cached


def forget() -> None:
    """After a change: the rest of this request reads the new settings."""
    _current.set(None)


@contextmanager
def read_once() -> Iterator[None]:
    """Scope the settings' cache to a piece of work outside a request, as the middleware scopes it to a
    request: the task queue's lot of emails reads them once, not twice an email."""
    in_request, current = _in_request.set(True), _current.set(None)
    try:
        yield
    finally:
        _current.reset(current)
        _in_request.reset(in_request)


def context(request: HttpRequest) -> dict:
    """For every page: the desk's name (read when a template shows it, not before)."""
    return {"desk_name": lazy(lambda: desk().desk_name, str)()}


class DeskSettingsMiddleware:
    """Scope the settings' cache to one request: read at most once in it, never carried to the next."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with read_once():
            return self.get_response(request)
