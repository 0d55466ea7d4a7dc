"""Merging: one ticket's conversation and people go into another, and the first is closed as merged."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from helpline.catalog.models import State, TicketStatus
from helpline.people.actors import Actor
from helpline.tickets import sla_clock
from helpline.tickets.actions.base import lock_ticket, record_event, touch
from helpline.tickets.actions.status import change_status
from helpline.tickets.events import MergedFrom, MergedInto, TicketRef
from helpline.tickets.models import Collaborator, EntryKind, ThreadEntry, Ticket, TicketLink
from helpline.tickets.policy import require_merge


def merge_tickets(*, actor: Actor, source: Ticket, target: Ticket) -> Ticket:
    """Merge ``source`` into ``target`` (``policy.require_merge``: the merge permission on both, neither
    merged already, not a ticket into itself). Returns the target.

    The source's messages, responses and notes, with their attachments, move to the target, where the thread
    shows them in time order among its own; the source's events stay on it, the record of what happened to
    it. The source's requester and collaborators become collaborators of the target (each requester stays
    requester of their own ticket), so they read and answer the target through their old access links. The
    source is closed, marked ``merged_into`` (read-only, in no queue; its number leads to the target, as do
    email replies to it), and the tickets merged into it before now lead to the target too. Its links move to
    the target. An event on each ticket names the other. The target's SLA clock is recomputed: a response
    the source's requester had counts as the target's first response when the target had none.

    Both rows are locked in id order, so two merges of the same pair at once wait for each other instead of
    deadlocking. Sends no email. Raises NotMergeable or NotAllowed."""
    with transaction.atomic():
        first, second = sorted([source.pk, target.pk])
        locked = {first: lock_ticket(first), second: lock_ticket(second)} if first != second else {}
        source, target = locked.get(source.pk, source), locked.get(target.pk, target)
        require_merge(actor, source, target)
        now = timezone.now()
        moved = ThreadEntry.objects.filter(ticket=source).exclude(kind=EntryKind.EVENT).update(ticket=target)
        _copy_people(source, target)
        _move_links(source, target, now)
        Ticket.objects.filter(merged_into=source).update(merged_into=target)
        _close_as_merged(source, target, actor, now)
        _absorb(target, source, now)
        record_event(target, actor, MergedFrom(source=TicketRef.of(source), entries=moved), now)
    return target


def _copy_people(source: Ticket, target: Ticket) -> None:
    people = {
        source.requester_id,
        *Collaborator.objects.filter(ticket=source).values_list("requester_id", flat=True),
    }
    present = set(Collaborator.objects.filter(ticket=target).values_list("requester_id", flat=True))
    added = people - present - {target.requester_id}
    Collaborator.objects.bulk_create(Collaborator(ticket=target, requester_id=pk) for pk in sorted(added))


def _move_links(source: Ticket, target: Ticket, now: datetime) -> None:
    """The source's links become the target's (a link between the two ends with the merge)."""
    for link in TicketLink.objects.filter(TicketLink.involving(source.pk)):
        other = link.high_id if link.low_id == source.pk else link.low_id
        if other != target.pk:
            TicketLink.objects.get_or_create(
                **TicketLink.pair(other, target.pk), defaults={"created_at": now}
            )
    TicketLink.objects.filter(TicketLink.involving(source.pk)).delete()


def _close_as_merged(source: Ticket, target: Ticket, actor: Actor, now: datetime) -> None:
    fields = ["merged_into"]
    closed = TicketStatus.default_for(State.CLOSED)
    if source.status_id != closed.pk:
        fields += change_status(source, actor, closed, now)  # records the closing, stops the SLA clock
    source.merged_into = target
    touch(source, now, *fields)
    record_event(source, actor, MergedInto(target=TicketRef.of(target)), now)


def _absorb(target: Ticket, source: Ticket, now: datetime) -> None:
    """The target's timestamps take in the moved conversation, and its SLA clock is measured again."""
    fields = []
    if source.last_message_at and (
        target.last_message_at is None or source.last_message_at > target.last_message_at
    ):
        target.last_message_at = source.last_message_at
        fields.append("last_message_at")
    if source.last_response_at and (
        target.last_response_at is None or source.last_response_at > target.last_response_at
    ):
        target.last_response_at = source.last_response_at
        fields.append("last_response_at")
    if target.first_response_at is None and source.first_response_at is not None:
        target.first_response_at = source.first_response_at
        fields.append("first_response_at")
    touch(target, now, *fields, *sla_clock.recompute(target, now))
