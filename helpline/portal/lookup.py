"""Sending a requester the way back to a ticket: its access link, to an address on the ticket.

The page that asks ("Check a ticket's status", ``portal.status``) only schedules this on the task queue;
whether the address and number match is found out here, off the request, so the page answers the same,
in the same time and with the same work, whatever the outcome."""

import logging
from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string

from helpline.core import throttle
from helpline.mail.outbox import queue_email
from helpline.mail.threading import LOOP_HEADER, LOOP_MARKER
from helpline.people.models import Requester
from helpline.people.requesters import requesters_by_email
from helpline.tickets.access import access_url
from helpline.tickets.models import Ticket
from helpline.tickets.notification_emails import sender_address

log = logging.getLogger(__name__)

LINK_EMAILS_SCOPE = "portal.access-link-email"
# However many addresses ask, one person gets at most this many link emails per ticket an hour: the page
# cannot be used to flood someone whose address and ticket number are known.
LINK_EMAILS_PER_HOUR = 3


def participant_by_email(ticket: Ticket, email: str) -> Requester | None:
    """The ticket's requester or collaborator with this address (in any letter case), if any."""
    candidates = requesters_by_email(email)
    if candidates.filter(pk=ticket.requester_id).exists():
        return ticket.requester
    return candidates.filter(collaborator__ticket=ticket).first()


def email_access_link(*, email: str, number: str) -> int:
    """Queue the access link of ticket ``number`` for its participant with address ``email``. Returns 1
    when an email was queued, 0 when there is no such ticket or participant (or they had enough links)."""
    ticket = Ticket.objects.select_related("requester", "department").filter(number=number).first()
    requester = participant_by_email(ticket, email) if ticket is not None else None
    if ticket is None or requester is None:
        return 0
    wait = throttle.take(
        LINK_EMAILS_SCOPE,
        f"{ticket.pk}:{requester.pk}",
        limit=LINK_EMAILS_PER_HOUR,
        period=timedelta(hours=1),
    )
    if wait is not None:
        log.info(
            "Access link for ticket %s not sent again to requester %s this hour", ticket.number, requester.pk
        )
        return 0
    context = {
        "ticket": ticket,
        "requester": requester,
        "url": access_url(ticket, requester),
        "site_url": settings.SITE_URL,
    }
    sender = sender_address(ticket.department)
    queued = queue_email(
        to=[requester.email],
        subject=render_to_string("portal/email/access_link.subject.txt", context).strip(),
        body_text=render_to_string("portal/email/access_link.txt", context),
        reason="access_link",
        headers={
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "X-Helpline-Ticket": ticket.number,
            LOOP_HEADER: LOOP_MARKER,
        },
        ticket_id=ticket.pk,
        from_email=sender,
        reply_to=sender,
    )
    return 1 if queued else 0
