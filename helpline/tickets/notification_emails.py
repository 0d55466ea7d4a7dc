"""The emails a lot of notifications makes: what the lot shares (``Lot``), each notification's emails
(``keyed_emails``), and a lot's emails drafted ahead of the transaction that stores them (``Draft``).

Each email continues the ticket's conversation: In-Reply-To and References name the conversation's root
(``Ticket.thread_root``) and what the same recipient was sent before, never what others were sent. What it
says comes from ``tickets.emails`` (an administrator's template, else the shipped one).
"""

from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formataddr

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Max
from django.urls import reverse

from helpline.mail.models import OutboundEmail
from helpline.mail.outbox import Keyed, conversation
from helpline.mail.threading import LOOP_HEADER, LOOP_MARKER, new_message_id, note_address, thread_headers
from helpline.people.models import Agent, Department, Requester
from helpline.tickets.access import access_url
from helpline.tickets.emails.context import PersonVars, email_context, entry_vars, ticket_vars
from helpline.tickets.emails.editing import overrides_of
from helpline.tickets.emails.kinds import KINDS, REQUESTER
from helpline.tickets.emails.rendering import Rendered, render_email
from helpline.tickets.models import Notification, Ticket
from helpline.tickets.recipients import FOLLOWED_UPDATE, agents_for, followers_for, participants

REQUESTER_KINDS = {key for key, kind in KINDS.items() if kind.audience == REQUESTER}
# A person's words relayed, not automatic mail.
HUMAN_KINDS = {"response"}
TICKET_RELATIONS = ("requester", "department__manager__user", "priority", "status", "assignee__user", "team")


@dataclass(frozen=True)
class Draft:
    """A lot's emails made from what the database said when they were drafted, and the notifications that
    could not be made (a template, a recipient). ``last_sent``: the newest outbox row of the lot's tickets
    then, which the emails' threading continues."""

    notification_ids: list[int]
    ticket_ids: set[int]
    emails: list[Keyed]
    failed: dict[int, Exception]
    last_sent: int | None

    @classmethod
    def of(cls, notifications: list[Notification]) -> "Draft":
        ticket_ids = {notification.ticket_id for notification in notifications}
        last_sent = _last_sent(ticket_ids)
        lot = Lot(notifications)
        emails: list[Keyed] = []
        failed: dict[int, Exception] = {}
        for notification in notifications:
            try:
                emails += lot.keyed_emails(notification)
            except DatabaseError:
                raise  # a transaction is lost: the caller takes the notifications one by one
            except Exception as fault:  # noqa: BLE001 - recorded on its row by the caller, and retried
                failed[notification.pk] = fault
        return cls([notification.pk for notification in notifications], ticket_ids, emails, failed, last_sent)

    def holds_for(self, notification_ids: list[int]) -> bool:
        """Whether the draft is still what these notifications (in id order) make: the same notifications,
        and no email to their tickets stored since, which these emails' threading would have to name."""
        return notification_ids == self.notification_ids and _last_sent(self.ticket_ids) == self.last_sent


def _last_sent(ticket_ids: set[int]) -> int | None:
    return OutboundEmail.objects.filter(ticket_id__in=ticket_ids).aggregate(last=Max("pk"))["last"]


class Lot:
    """What a lot of notifications share, each read once for the lot: their tickets, the administrators'
    templates, each ticket's conversation so far (with what the lot itself adds to it), each department's
    agents and each ticket's collaborators."""

    def __init__(self, notifications: list[Notification]):
        ticket_ids = {notification.ticket_id for notification in notifications}
        self.tickets = Ticket.objects.select_related(*TICKET_RELATIONS).in_bulk(ticket_ids)
        self.overrides = overrides_of({notification.kind for notification in notifications})
        self._conversations: dict[int, dict[str, list[str]]] = {}
        self._agents: dict[tuple[str, int], list[Agent]] = {}
        self._collaborators: dict[int, list[Requester]] = {}

    def keyed_emails(self, notification: Notification) -> list[Keyed]:
        """The notification's emails, each continuing what its recipient was sent of the ticket before,
        this lot's emails included."""
        ticket = self.tickets.get(notification.ticket_id)
        if ticket is None:
            raise Ticket.DoesNotExist(f"Ticket {notification.ticket_id} is gone")
        sender = sender_address(ticket.department)
        earlier = self.conversation(ticket.pk)
        emails = [
            Keyed(
                key=f"notification:{notification.pk}:{address.lower()}",
                to=address,
                subject=email.subject,
                body_text=email.body_text,
                body_html=email.body_html,
                reason=notification.kind,
                headers=_headers(ticket, notification.kind, earlier.get(address.lower(), [])),
                ticket_id=ticket.pk,
                entry_id=notification.entry_id,
                from_email=sender,
                reply_to=sender,
                message_id=new_message_id(),
            )
            for address, email in _emails(notification, ticket, self)
        ]
        for email in emails:  # all made: the next notification's emails to the same people name these
            earlier.setdefault(email.to.lower(), []).append(email.message_id)
        return emails

    def conversation(self, ticket_id: int) -> dict[str, list[str]]:
        if ticket_id not in self._conversations:
            self._conversations[ticket_id] = conversation(ticket_id)
        return self._conversations[ticket_id]

    def agents(self, key: tuple[str, int], read: Callable[[], list[Agent]]) -> list[Agent]:
        """A list of agents read once for the lot (a department's, a team's); the caller's own copy."""
        if key not in self._agents:
            self._agents[key] = read()
        return list(self._agents[key])

    def collaborators(self, ticket: Ticket) -> list[Requester]:
        if ticket.pk not in self._collaborators:
            self._collaborators[ticket.pk] = list(Requester.objects.filter(collaborator__ticket=ticket))
        return self._collaborators[ticket.pk]


# What each notification says (to whom: ``recipients``) ------------------------------------------------------------------


def _emails(notification: Notification, ticket: Ticket, lot: Lot) -> list[tuple[str, Rendered]]:
    """The email each recipient gets."""
    kind, entry = notification.kind, notification.entry
    if kind == "response" and entry is None:
        return []
    override = lot.overrides[kind]
    reply_address = ticket.department.reply_address
    shared = {"entry": entry_vars(entry), "reply_by_email": bool(reply_address), **notification.data}
    if kind in REQUESTER_KINDS:
        return [
            (
                requester.email,
                _render(
                    kind,
                    shared
                    | {
                        "ticket": ticket_vars(ticket, requester.time_zone),
                        "requester": PersonVars(requester.name, requester.email),
                        "url": access_url(ticket, requester),
                    },
                    override,
                ),
            )
            for requester in participants(kind, ticket, lot)
        ]
    shared |= {
        "url": settings.SITE_URL + reverse("staff:ticket", args=[ticket.number]),
        "note_address": note_address(reply_address) if reply_address else "",
    }
    # Each recipient reads the times in their own zone; a department's shared address in the desk's.
    agents = (
        followers_for(notification, ticket, lot)
        if kind == FOLLOWED_UPDATE
        else agents_for(kind, ticket, notification.data, lot)
    )
    zones = {
        agent.email: agent.time_zone
        for agent in agents
        if agent.pk != notification.actor_agent_id and agent.email
    }
    if kind == "new_ticket_department" and ticket.department.email:
        zones.setdefault(ticket.department.email, "")
    unique = {address.lower(): (address, zone) for address, zone in zones.items()}
    # What an agent reads differs only by their time zone: rendered once a zone, not once an agent.
    by_zone = {
        zone: _render(kind, shared | {"ticket": ticket_vars(ticket, zone)}, override)
        for zone in {zone for _, zone in unique.values()}
    }
    return [(address, by_zone[zone]) for address, zone in unique.values()]


def _render(kind: str, values: dict, override: dict[str, str] | None) -> Rendered:
    return render_email(kind, email_context(kind, **values), override)


def sender_address(department: Department) -> str:
    """From and Reply-To: the department's reply address, else ``DEFAULT_FROM_EMAIL``."""
    if department.reply_address:
        return formataddr((department.name, department.reply_address))
    return settings.DEFAULT_FROM_EMAIL


def _headers(ticket: Ticket, kind: str, earlier: list[str]) -> dict[str, str]:
    """Threading (the conversation's root and what this recipient was sent before), the loop marker, and
    what keeps other systems from answering automatically. A response is a person's reply, not automatic
    mail (RFC 3834), so it carries no Auto-Submitted; nothing carries Precedence: bulk."""
    headers = {
        **thread_headers(ticket.thread_root, earlier),
        LOOP_HEADER: LOOP_MARKER,
        "X-Auto-Response-Suppress": "All",
        "X-Helpline-Ticket": ticket.number,
    }
    if kind not in HUMAN_KINDS:
        headers["Auto-Submitted"] = "auto-generated"
    return headers
