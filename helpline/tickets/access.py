"""Private access links for requesters: a signed token naming the ticket and the person it was sent to.

Each participant gets their own link, the same one in every email (the token carries no timestamp).
Rotating the ticket's ``access_secret`` revokes every link; removing a collaborator revokes theirs.
A link to a ticket that was merged into another leads to that one, for as long as its holder is a
participant there (merging makes them one).
"""

import hmac

from django.conf import settings
from django.core import signing
from django.urls import reverse

from helpline.people.models import Requester
from helpline.tickets.merged import final_ticket
from helpline.tickets.models import Ticket
from helpline.tickets.policy import is_participant

SALT = "helpline.tickets.access-link"


def access_token(ticket: Ticket, requester: Requester) -> str:
    payload = [ticket.pk, requester.pk, ticket.access_secret[:12]]
    return signing.Signer(salt=SALT).sign_object(payload, compress=True)


def access_url(ticket: Ticket, requester: Requester) -> str:
    return settings.SITE_URL + reverse("portal:ticket", args=[access_token(ticket, requester)])


def resolve_token(token: str) -> tuple[Ticket, Requester] | None:
    """The ticket and requester a token was issued for, or None if it is forged, revoked or stale. For a
    ticket merged into another, that other ticket, if the requester is a participant of it."""
    try:
        ticket_id, requester_id, secret = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(ticket_id, int) and isinstance(requester_id, int) and isinstance(secret, str)):
        return None
    ticket = (
        Ticket.objects.select_related("status", "department", "priority", "requester")
        .filter(pk=ticket_id)
        .first()
    )
    requester = Requester.objects.filter(pk=requester_id).first()
    if ticket is None or requester is None:
        return None
    if not hmac.compare_digest(ticket.access_secret[:12], secret) or not is_participant(requester, ticket):
        return None
    if ticket.merged_into_id is not None:
        ticket = final_ticket(ticket)
        if ticket.merged_into_id is not None or not is_participant(requester, ticket):
            return None
    return ticket, requester
