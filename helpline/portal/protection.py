"""The open-ticket form's guards against automation, with no third party and no JavaScript.

- a honeypot field people never see (``forms.HONEYPOT``);
- a signed token issued with each form: it carries the moment the form was shown, so a post sooner than
  HELPLINE_PORTAL_MIN_SECONDS after it is refused, and it is spent, once, in the transaction that opens the
  ticket: a second post of the same form lands on the first one's ticket instead of opening another;
- a budget of HELPLINE_PORTAL_TICKETS_PER_HOUR tickets per client address, counted in the database.

Each refusal says what to do, keeps what was typed (the view shows the bound form again) and has its own
status: 400 for a form to send again, 429 (with Retry-After) for a spent budget.
"""

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from helpline.core import throttle
from helpline.core.client_ip import client_ip
from helpline.portal.forms import HONEYPOT
from helpline.portal.models import SpentFormToken
from helpline.tickets.models import Ticket

log = logging.getLogger(__name__)

ONE_TIME_FIELD = "form_token"
SALT = "helpline.portal.open-form"
# A form left open longer than this is refused as expired (and shown again with a new token); it is
# also how long a spent token must be remembered.
TOKEN_MAX_AGE = timedelta(days=1)
TICKETS_SCOPE = "portal.open-ticket"
HOUR = timedelta(hours=1)
FILES_AGAIN = " Files cannot be kept: attach them again."


@dataclass(frozen=True)
class Refusal:
    reason: str  # for the log
    message: str  # for the person: what happened and what to do
    status: int
    retry_after: int | None = None  # seconds, sent as Retry-After


class Refused(Exception):
    """Raised inside the transaction that would open the ticket, so that it rolls back."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


class AlreadySent(Exception):
    """The form's token was spent by an earlier post; ``ticket`` is what it opened (None if since deleted)."""

    def __init__(self, ticket: Ticket | None) -> None:
        super().__init__("This form was sent already.")
        self.ticket = ticket


@dataclass(frozen=True)
class FormToken:
    value: str  # as issued: shown again with the form when a refusal keeps it
    nonce: str
    issued_at: float  # seconds since the epoch


def issue_form_token() -> str:
    payload = {"n": secrets.token_urlsafe(16), "t": round(time.time(), 3)}
    return signing.Signer(salt=SALT).sign_object(payload)


def read_form_token(value: str | None) -> FormToken | None:
    """The token a form was issued with, or None if it is missing, forged or older than TOKEN_MAX_AGE."""
    try:
        payload = signing.Signer(salt=SALT).unsign_object(value or "")
        nonce, issued_at = payload["n"], payload["t"]
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        return None
    if not (isinstance(nonce, str) and len(nonce) <= 32 and isinstance(issued_at, int | float)):
        return None
    if time.time() - issued_at > TOKEN_MAX_AGE.total_seconds():
        return None
    return FormToken(value=value or "", nonce=nonce, issued_at=float(issued_at))


def check_open_form(request: HttpRequest, token: FormToken | None) -> Refusal | None:
    """The checks that need no database, in the order a person can act on them."""
    files = FILES_AGAIN if request.FILES else ""
    if token is None:
        refusal = Refusal(
            "no valid form token",
            "This form has expired or is out of date. Send it again: what you typed is kept." + files,
            400,
        )
    elif request.POST.get(HONEYPOT):
        refusal = Refusal(
            "honeypot filled in",
            "Your request could not be accepted: the field “Leave this field empty” was filled in. "
            "Clear it and send the form again." + files,
            400,
        )
    elif time.time() - token.issued_at < settings.HELPLINE_PORTAL_MIN_SECONDS:
        refusal = Refusal(
            "sent too soon after the form was shown",
            "The form was sent very quickly after the page opened, as automated programs do. "
            "Wait a moment and send it again: what you typed is kept." + files,
            400,
        )
    else:
        return None
    log.info("Open-ticket form refused (%s) from %s", refusal.reason, client_ip(request))
    return refusal


def spend_form_token(token: FormToken) -> None:
    """Spend the token in the caller's transaction (which goes on to open the ticket and ``record_ticket``).
    Raises AlreadySent when an earlier post spent it. A concurrent post of the same token waits here
    until the first one's transaction ends (PostgreSQL: on the unique index; SQLite: the write lock)."""
    try:
        with transaction.atomic():
            SpentFormToken.objects.create(nonce=token.nonce)
    except IntegrityError:
        ticket_id = (
            SpentFormToken.objects.filter(nonce=token.nonce).values_list("ticket_id", flat=True).first()
        )
        ticket = (
            Ticket.objects.select_related("requester").filter(pk=ticket_id).first() if ticket_id else None
        )
        raise AlreadySent(ticket) from None


def record_ticket(token: FormToken, ticket: Ticket) -> None:
    SpentFormToken.objects.filter(nonce=token.nonce).update(ticket_id=ticket.pk)


def take_ticket_budget(request: HttpRequest) -> None:
    """Spend one of the client address's HELPLINE_PORTAL_TICKETS_PER_HOUR (0: no limit) in the caller's
    transaction, or raise Refused (429) saying when to try again."""
    address = client_ip(request)
    wait = throttle.take(
        TICKETS_SCOPE,
        throttle.address_key(address),
        limit=settings.HELPLINE_PORTAL_TICKETS_PER_HOUR,
        period=HOUR,
    )
    if wait is None:
        return
    log.warning("Open-ticket form refused (hourly budget spent) from %s", address)
    files = FILES_AGAIN if request.FILES else ""
    raise Refused(
        Refusal(
            "hourly budget spent",
            "Many tickets were opened from your network in the last hour. "
            f"Try again in {throttle.in_minutes(wait)}: what you typed is kept." + files,
            429,
            retry_after=max(1, round(wait.total_seconds())),
        )
    )


def prune_spent_tokens() -> int:
    """Forget tokens older than any form still accepted: their forms are refused as expired anyway."""
    cutoff = timezone.now() - TOKEN_MAX_AGE - HOUR
    deleted, _ = SpentFormToken.objects.filter(spent_at__lt=cutoff).delete()
    return deleted
