"""Who hears about what, and the emails they get.

An action records what it must tell as ``Notification`` rows in its own transaction (``schedule``). After the
commit the task queue delivers them (``deliver_notifications``); a periodic sweep takes up any that a lost
task or a killed worker left pending. Delivering a notification writes one outbox row per recipient under a
unique key and marks the notification done, in one transaction: a failure half-way leaves nothing behind, and a
retry writes exactly what is missing, once. Notifications are delivered in lots (``Lot``), reading what they
share once, and the worker sends the lot's emails itself once that has committed (``mail.batches``).

Each email continues the ticket's conversation: In-Reply-To and References name the conversation's root
(``Ticket.thread_root``) and what the same recipient was sent before, never what others were sent. What it
says comes from ``tickets.emails`` (an administrator's template, else the shipped one).
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from helpline.core import desk
from helpline.core.prepared import PreparedIn
from helpline.core.prepared_inserts import PreparedInsert
from helpline.core.retries import FAILURE_FIELDS, count_failure
from helpline.mail.batches import send_after_commit
from helpline.mail.models import OutboundEmail
from helpline.mail.outbox import Keyed, conversation, store_keyed_emails
from helpline.mail.threading import LOOP_HEADER, LOOP_MARKER, new_message_id, note_address, thread_headers
from helpline.people.models import Agent, Department, Requester
from helpline.tickets.access import access_url
from helpline.tickets.emails.context import PersonVars, email_context, entry_vars, ticket_vars
from helpline.tickets.emails.editing import overrides_of
from helpline.tickets.emails.kinds import KINDS, REQUESTER
from helpline.tickets.emails.rendering import Rendered, render_email
from helpline.tickets.models import Notification, ThreadEntry, Ticket
from helpline.tickets.recipients import FOLLOWED_UPDATE, agents_for, followers_for, participants

log = logging.getLogger(__name__)

REQUESTER_KINDS = {key for key, kind in KINDS.items() if kind.audience == REQUESTER}
# A person's words relayed, not automatic mail.
HUMAN_KINDS = {"response"}
# The task queue normally delivers at once; the sweep steps in only after this long.
SWEEP_GRACE = timedelta(minutes=2)
MAX_ATTEMPTS = 6
# Notifications delivered in one transaction: their tickets, templates and recipients are read once.
LOT = 100
NOTIFICATIONS = PreparedInsert(Notification)
TICKET_RELATIONS = ("requester", "department__manager__user", "priority", "status", "assignee__user", "team")


@dataclass(frozen=True)
class Owed:
    """A notification an action owes: its kind, the entry it reports, and what the email must also say."""

    kind: str
    entry: ThreadEntry | None = None
    data: dict | None = None


def schedule(ticket: Ticket, owed: Iterable[Owed], *, actor_agent_id: int | None) -> list[Notification]:
    """Record the notifications in the caller's transaction and hand them to the task queue on commit."""
    now = timezone.now()
    rows = [
        Notification(
            kind=item.kind,
            ticket=ticket,
            entry=item.entry,
            actor_agent_id=actor_agent_id,
            data=item.data or {},
            created_at=now,
            next_attempt_at=now + SWEEP_GRACE,
        )
        for item in owed
    ]
    for row in rows:  # one compiled INSERT each costs less than compiling one for them all
        NOTIFICATIONS.insert(row)
    if rows:
        from helpline.tickets.tasks import deliver_notifications_task

        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: deliver_notifications_task(ids))
    return rows


def deliver_notifications(
    notification_ids: Iterable[int], *, with_waiting: bool = False, waiting_tickets: list[int] | None = None
) -> int:
    """Deliver each pending notification, ``LOT`` in a transaction; one that fails is recorded for a later
    attempt and does not hold back the others. The emails they stored are sent by the same worker once
    that has committed. Returns how many emails were queued.

    ``with_waiting`` (the task queue's task): fill the first lot with other notifications not tried yet,
    those whose own tasks wait behind this one, so that under load one task delivers many tickets' and
    the tasks that follow find theirs done; the tickets of those it took are added to ``waiting_tickets``."""
    ids = list(notification_ids)
    queued: list[OutboundEmail] = []
    taken = waiting_tickets if waiting_tickets is not None else []
    try:
        for start in range(0, len(ids), LOT):
            queued += _deliver_or_isolate(
                ids[start : start + LOT], taken if with_waiting and not start else None
            )
    finally:
        send_after_commit(queued)
    return len(queued)


def _deliver_or_isolate(notification_ids: list[int], waiting: list[int] | None = None) -> list[OutboundEmail]:
    """The lot in one transaction; should that fail as a whole (a database error: the transaction is lost),
    each of its own notifications again in a transaction of its own, so that only the one at fault is
    recorded as failed (the waiting ones are left to their own tasks)."""
    try:
        return _deliver_lot(notification_ids, waiting)
    except Exception as error:  # noqa: BLE001 - whatever went wrong, the row says so and is retried
        if len(notification_ids) == 1:
            _record_failure(notification_ids[0], error)
            return []
    return [email for one in notification_ids for email in _deliver_or_isolate([one])]


def deliver_notification(notification_id: int) -> list[OutboundEmail]:
    """Turn one pending notification into outbox rows and mark it done, in one transaction; returns the
    new outbox rows, leased, for the caller to send once that has committed (``batches.send_after_commit``)."""
    return _deliver_lot([notification_id])


def _deliver_lot(notification_ids: list[int], waiting: list[int] | None = None) -> list[OutboundEmail]:
    """Turn the pending notifications among these into outbox rows and mark them done, in one transaction;
    returns the new rows, leased to the caller. The notifications' rows are locked first, so two workers
    never deliver one twice; one already done queues nothing. One whose emails cannot be made (a template,
    a recipient) is recorded as failed in the same transaction, and the others go ahead. They are
    delivered in id order: a ticket's in the order its changes made them. ``waiting``: also take others
    not tried yet (up to ``LOT`` in all), adding their tickets to this list."""
    if not _STILL_PENDING.rows(notification_ids):
        # Delivered already (a status that stays): read outside a transaction, which on SQLite takes the
        # write lock at BEGIN. Under load most tasks find theirs taken by an earlier lot.
        return []
    pending_rows = _pending_rows()
    with transaction.atomic(), desk.read_once():
        pending = _PENDING.objects(notification_ids)
        if waiting is not None and 0 < len(pending) < LOT:
            # Another worker's rows are skipped, not waited for: it is delivering them. A task whose own
            # notifications an earlier lot took looks no further: that lot took the others waiting too.
            others = pending_rows.select_for_update(of=("self",), skip_locked=True).filter(attempts=0)
            taken = list(others.exclude(pk__in=notification_ids)[: LOT - len(pending)])
            waiting += sorted({notification.ticket_id for notification in taken})
            pending = sorted([*pending, *taken], key=lambda notification: notification.pk)
        if not pending:
            return []
        lot = Lot(pending)
        emails: list[Keyed] = []
        failed: list[tuple[Notification, Exception]] = []
        for notification in pending:
            try:
                emails += lot.keyed_emails(notification)
            except DatabaseError:
                raise  # the transaction is lost: ``_deliver_or_isolate`` takes them one by one
            except Exception as fault:  # noqa: BLE001 - recorded on its row, and retried
                failed.append((notification, fault))
        # A notification never tried has no rows yet: they are written with the mark that it was tried.
        never_tried = all(notification.attempts == 0 for notification in pending)
        rows = store_keyed_emails(emails, leased=True, new_keys=never_tried)
        at_fault = {notification.pk for notification, _ in failed}
        done = [notification.pk for notification in pending if notification.pk not in at_fault]
        Notification.objects.filter(pk__in=done).update(
            status=Notification.Status.DONE, done_at=timezone.now(), attempts=F("attempts") + 1
        )
        for notification, problem in failed:
            _count_failure(notification, problem)
    return rows


def _pending_rows():
    """Pending notifications, locked as they are read, with their entries, in the order they were made."""
    pending = Notification.objects.select_for_update(of=("self",)).select_related("entry")
    return pending.filter(status=Notification.Status.PENDING).order_by("pk")


# Most tasks bring one notification (compiled once for it), which under load an earlier lot has delivered.
_PENDING = PreparedIn("pk", lambda which: _pending_rows().filter(which))
_STILL_PENDING = PreparedIn(
    "pk",
    lambda which: Notification.objects.filter(which, status=Notification.Status.PENDING).values_list("pk"),
)


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


def _record_failure(notification_id: int, error: Exception) -> None:
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != Notification.Status.PENDING:
            return
        _count_failure(notification, error)


def _count_failure(notification: Notification, error: Exception) -> None:
    log.error("Notification %s could not be delivered", notification.pk, exc_info=error)
    notification.attempts += 1
    count_failure(notification, error, max_attempts=MAX_ATTEMPTS, gave_up=Notification.Status.FAILED)
    notification.save(update_fields=FAILURE_FIELDS)


def due_notifications(limit: int = 500) -> list[int]:
    """Pending notifications the task queue should have delivered by now (a lost task, a killed worker, a
    failure waiting for its next attempt)."""
    return list(
        Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


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
