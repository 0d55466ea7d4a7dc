"""Versioned changes: every change raises the ticket's version; a change made against an older version is
refused when what happened since conflicts with it, and made otherwise (``tickets.conflicts``)."""

import pytest
from django.db import transaction

from helpline.catalog.models import Priority
from helpline.people.requesters import Contact
from helpline.testsupport.factories import SLAPlanFactory, TeamFactory
from helpline.tickets.actions import (
    add_collaborator,
    add_note,
    assign_ticket,
    claim_ticket,
    post_message,
    post_reply,
    set_priority,
    set_sla_plan,
    set_status,
    transfer_ticket,
)
from helpline.tickets.conflicts import ChangedMeanwhile, NewEntriesArrived
from helpline.tickets.models import ReplyLock, Ticket
from helpline.tickets.policy import NotAllowed


def page_of(ticket):
    """What a page loaded now would carry: the version and the newest entry."""
    ticket = Ticket.objects.get(pk=ticket.pk)
    return {"expected_version": ticket.version, "seen_entry_id": ticket.entries.order_by("id").last().pk}


def high():
    return Priority.objects.get(name="High")


def test_every_change_raises_the_version_by_one_in_the_same_save(ticket, sam, mia, rita, status):
    versions = [Ticket.objects.get(pk=ticket.pk).version]
    for change in (
        lambda: assign_ticket(actor=sam, ticket=ticket, agent=mia),
        lambda: set_priority(actor=sam, ticket=ticket, priority=high()),
        lambda: add_note(actor=sam, ticket=ticket, body="note"),
        lambda: post_reply(actor=sam, ticket=ticket, body="reply"),
        lambda: post_message(actor=rita, ticket=ticket, body="thanks"),
        lambda: set_status(actor=sam, ticket=ticket, status=status("resolved")),
    ):
        change()
        versions.append(Ticket.objects.get(pk=ticket.pk).version)
    assert versions == list(range(versions[0], versions[0] + 7))


def test_a_change_that_changes_nothing_keeps_the_version(ticket, sam):
    before = Ticket.objects.get(pk=ticket.pk).version
    set_priority(actor=sam, ticket=ticket, priority=ticket.priority)
    assert Ticket.objects.get(pk=ticket.pk).version == before


def test_a_stale_priority_is_refused_naming_what_changed(ticket, sam, mia):
    seen = page_of(ticket)
    set_priority(actor=mia, ticket=ticket, priority=high())
    with pytest.raises(ChangedMeanwhile) as refusal:
        set_priority(actor=sam, ticket=ticket, priority=Priority.objects.get(name="Low"), **seen)
    assert str(refusal.value) == "Since you opened this page: Mia set the priority to High."
    assert Ticket.objects.get(pk=ticket.pk).priority.name == "High"


def test_callers_without_a_version_are_never_refused(ticket, sam, mia):
    set_priority(actor=mia, ticket=ticket, priority=high())
    set_priority(actor=sam, ticket=ticket, priority=Priority.objects.get(name="Low"))
    assert Ticket.objects.get(pk=ticket.pk).priority.name == "Low"


def test_a_change_that_conflicts_with_nothing_that_happened_is_merged(ticket, sam, mia, status):
    seen = page_of(ticket)
    assign_ticket(actor=mia, ticket=ticket, agent=mia)
    set_priority(actor=sam, ticket=ticket, priority=high(), **seen)
    add_note(actor=sam, ticket=ticket, body="Not refused", **seen)
    set_status(actor=sam, ticket=ticket, status=status("pending"), **seen)
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert (fresh.assignee, fresh.priority.name, fresh.state) == (mia, "High", "pending")


class Undo(Exception):
    pass


def refused_by_conflict(attempt, seen) -> bool:
    """Try a change against the page's version and undo it: was it refused as a conflict?"""
    try:
        with transaction.atomic():
            attempt(seen)
            raise Undo
    except ChangedMeanwhile:
        return True
    except (Undo, NotAllowed):  # made, or refused for another reason than what happened meanwhile
        return False


@pytest.mark.parametrize(
    ("meanwhile", "refused"),
    [
        ("assign", {"assign", "claim"}),
        ("transfer", {"assign", "claim", "transfer"}),
        ("priority", {"priority"}),
        ("sla", {"sla"}),
        ("status", {"status", "resolve"}),
        ("message", {"resolve"}),
        ("note", set()),
    ],
)
def test_what_conflicts_with_what(ticket, ada, sam, mia, rita, status, it_department, meanwhile, refused):
    """Each change made meanwhile (by Mia, or Rita) refuses exactly the changes the rules list for it
    (tried by Ada, who may do everything, each undone after)."""
    plan = SLAPlanFactory(name="Sev-Z", hours=8)
    happened = {
        "assign": lambda: assign_ticket(actor=mia, ticket=ticket, agent=mia),
        "transfer": lambda: transfer_ticket(actor=mia, ticket=ticket, department=it_department),
        "priority": lambda: set_priority(actor=mia, ticket=ticket, priority=high()),
        "sla": lambda: set_sla_plan(actor=mia, ticket=ticket, sla_plan=plan),
        "status": lambda: set_status(actor=mia, ticket=ticket, status=status("pending")),
        "message": lambda: post_message(actor=rita, ticket=ticket, body="One more thing", reopen=False),
        "note": lambda: add_note(actor=mia, ticket=ticket, body="FYI"),
    }
    attempts = {
        "assign": lambda seen: assign_ticket(actor=ada, ticket=ticket, agent=sam, **seen),
        "claim": lambda seen: claim_ticket(actor=sam, ticket=ticket, **seen),
        "transfer": lambda seen: transfer_ticket(actor=ada, ticket=ticket, department=it_department, **seen),
        "priority": lambda seen: set_priority(actor=ada, ticket=ticket, priority=high(), **seen),
        "sla": lambda seen: set_sla_plan(actor=ada, ticket=ticket, sla_plan=plan, **seen),
        "status": lambda seen: set_status(actor=ada, ticket=ticket, status=status("pending"), **seen),
        "resolve": lambda seen: set_status(actor=ada, ticket=ticket, status=status("resolved"), **seen),
        "note": lambda seen: add_note(actor=ada, ticket=ticket, body="note", **seen),
        "cc": lambda seen: add_collaborator(
            actor=ada, ticket=ticket, person=Contact(email="copy@example.test", name="Copy"), **seen
        ),
    }
    seen = page_of(ticket)
    happened[meanwhile]()
    assert {name for name, attempt in attempts.items() if refused_by_conflict(attempt, seen)} == refused


def test_a_reply_after_someone_else_wrote_is_held_back_until_sent_again(ticket, sam, mia):
    seen = page_of(ticket)
    ReplyLock.objects.create(ticket=ticket, agent=sam, since=ticket.created_at, expires_at=ticket.created_at)
    note = add_note(actor=mia, ticket=ticket, body="I called her already")
    with pytest.raises(NewEntriesArrived) as held:
        post_reply(actor=sam, ticket=ticket, body="Hello", **seen)
    assert held.value.entries == [note]
    assert not ticket.entries.filter(kind="response").exists()
    post_reply(actor=sam, ticket=ticket, body="Hello", **page_of(ticket))
    assert ticket.entries.filter(kind="response").count() == 1
    assert not ReplyLock.objects.filter(ticket=ticket).exists()  # sending released it


def test_a_reply_is_not_held_back_by_the_authors_own_entries_or_by_events(ticket, sam, mia):
    seen = page_of(ticket)
    add_note(actor=sam, ticket=ticket, body="my own note")
    assign_ticket(actor=mia, ticket=ticket, agent=mia)
    post_reply(actor=sam, ticket=ticket, body="Hello", **seen)
    assert ticket.entries.filter(kind="response").count() == 1


def test_a_status_sent_with_a_reply_is_checked_like_a_status(ticket, sam, mia, status):
    seen = page_of(ticket)
    set_status(actor=mia, ticket=ticket, status=status("pending"))
    with pytest.raises(ChangedMeanwhile):
        post_reply(actor=sam, ticket=ticket, body="Done", status=status("resolved"), **seen)
    assert not ticket.entries.filter(kind="response").exists()


def test_assigning_a_team_follows_the_ticket(ticket, sam):
    team = TeamFactory(name="Printers")
    assign_ticket(actor=sam, ticket=ticket, team=team)
    assert ticket.followers.filter(agent=sam).exists()


def test_a_version_without_the_entry_seen_refuses_only_what_could_conflict(ticket, sam, mia):
    version = Ticket.objects.get(pk=ticket.pk).version
    set_priority(actor=mia, ticket=ticket, priority=high())
    add_note(actor=sam, ticket=ticket, body="Merged all the same", expected_version=version)
    with pytest.raises(ChangedMeanwhile) as refusal:
        set_priority(
            actor=sam, ticket=ticket, priority=Priority.objects.get(name="Low"), expected_version=version
        )
    assert str(refusal.value) == "This ticket was changed since you opened this page."
