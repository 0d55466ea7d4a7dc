"""Merging two requesters who are one person: everything of the one moves to the other, in one transaction.

The tickets, collaborations and thread entries of the merged requester are moved by one UPDATE each (a
requester may have thousands of tickets), so the merge writes one audit entry with the counts instead of a
thread event on every moved ticket. Each moved ticket's version is bumped (an open page about it sees the
change) and its search text rebuilt after the commit. The merged requester's address becomes an extra address
of the one kept (``people.RequesterAddress``), so their mail and portal look-ups find the kept one.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from helpline.audit.log import record
from helpline.people.actors import Actor
from helpline.people.models import Agent, Requester, RequesterAddress
from helpline.tickets.models import Collaborator, ThreadEntry, Ticket
from helpline.tickets.policy import NotAllowed
from helpline.tickets.search.indexing import reindex_in_batches

# What the kept requester takes from the merged one where its own is blank.
FILLED_IN = ("phone", "time_zone", "organization_id")


@dataclass(frozen=True)
class RequesterMerge:
    """What a merge moved: counts for the audit entry and the page that reports it."""

    tickets: int
    collaborations: int
    entries: int
    addresses: int
    portal_account_moved: bool


def merge_requesters(*, actor: Actor, source: Requester, target: Requester) -> RequesterMerge:
    """Merge ``source`` into ``target`` (administrators only) and delete ``source``. Raises NotAllowed for
    anyone else, ValueError for a requester merged into itself, DoesNotExist if either is gone."""
    if not (isinstance(actor, Agent) and actor.is_active and actor.is_administrator):
        raise NotAllowed("Only administrators merge requesters.")
    if source.pk == target.pk:
        raise ValueError("A requester cannot be merged into itself.")
    with transaction.atomic():
        locked = Requester.objects.select_for_update().in_bulk([source.pk, target.pk])
        source, target = locked[source.pk], locked[target.pk]
        ticket_ids = list(Ticket.objects.filter(requester=source).values_list("pk", flat=True))
        tickets = Ticket.objects.filter(requester=source).update(requester=target, version=F("version") + 1)
        collaborations = _move_collaborations(source, target)
        entries = ThreadEntry.objects.filter(author_requester=source).update(author_requester=target)
        addresses = _move_addresses(source, target)
        moved_account = _fill_in(source, target)
        result = RequesterMerge(tickets, collaborations, entries, addresses, moved_account)
        record(
            actor=actor,
            action="requester.merged",
            target_type="requester",
            target_id=target.pk,
            target_repr=str(target),
            data={"merged": {"id": source.pk, "name": source.name, "email": source.email}}
            | {"moved": result.__dict__},
        )
        source.delete()
        transaction.on_commit(lambda: reindex_in_batches(ticket_ids))
    return result


def _move_collaborations(source: Requester, target: Requester) -> int:
    """Move the source's collaborations, except on tickets where the target already is the requester or a
    collaborator (a ticket has each person once)."""
    Collaborator.objects.filter(requester=source, ticket__requester=target).delete()
    Collaborator.objects.filter(
        requester=source, ticket__in=Collaborator.objects.filter(requester=target).values("ticket")
    ).delete()
    return Collaborator.objects.filter(requester=source).update(requester=target)


def _move_addresses(source: Requester, target: Requester) -> int:
    moved = RequesterAddress.objects.filter(requester=source).update(requester=target)
    RequesterAddress.objects.create(requester=target, email=source.email)
    return moved + 1


def _fill_in(source: Requester, target: Requester) -> bool:
    """Give the target what it lacks of the source's details, and the source's portal account when it has
    none of its own (otherwise the source's account no longer belongs to a requester). Returns whether the
    account moved."""
    changed = [name for name in FILLED_IN if not getattr(target, name) and getattr(source, name)]
    for name in changed:
        setattr(target, name, getattr(source, name))
    moved = target.user_id is None and source.user_id is not None
    if moved:
        target.user_id, source.user_id = source.user_id, None
        source.save(update_fields=["user"])
        changed.append("user")
    if changed:
        target.save(update_fields=[name.removesuffix("_id") for name in changed])
    return moved
