"""merge_tickets: one ticket's conversation and people go into another; the first is closed as merged and
leads to the other from then on."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from helpline.audit.models import AuditEntry
from helpline.catalog.models import State
from helpline.people.models import Role
from helpline.testsupport.factories import AgentFactory, RequesterFactory
from helpline.tickets.access import access_token, resolve_token
from helpline.tickets.actions import (
    add_collaborator,
    delete_ticket,
    merge_tickets,
    post_message,
    post_reply,
    set_sla_plan,
    set_status,
)
from helpline.tickets.models import Attachment, EntryKind, Event, Ticket
from helpline.tickets.policy import NotAllowed, NotMergeable, can
from helpline.tickets.queries import queue_tickets
from helpline.tickets.tests.helpers import T0, last_event, snapshot


@pytest.fixture
def olga(db):
    return RequesterFactory(name="Olga Other", email="olga@example.test")


@pytest.fixture
def pair(open_for, rita, olga, support_topic, sam):
    """Two tickets about one matter, written in turns: Rita's first, Olga's an hour later, then a message on
    each (Olga's with a file), so merging must interleave them by time."""
    with time_machine.travel(T0, tick=False):
        target = open_for(rita, support_topic, subject="Printer jam", body="Rita: the printer jams")
    with time_machine.travel(T0.replace(hour=10), tick=False):
        source = open_for(olga, support_topic, subject="Printer broken", body="Olga: it is broken")
    with time_machine.travel(T0.replace(hour=11), tick=False):
        post_message(actor=rita, ticket=target, body="Rita: still jammed")
    with time_machine.travel(T0.replace(hour=12), tick=False):
        upload = SimpleUploadedFile("photo.png", b"\x89PNG picture", content_type="image/png")
        post_message(actor=olga, ticket=source, body="Olga: a photo", attachments=[upload])
    return source, target


def bodies(ticket: Ticket) -> list[str]:
    return list(ticket.entries.exclude(kind=EntryKind.EVENT).values_list("body_text", flat=True))


def test_the_conversation_moves_in_time_order_and_both_requesters_stay(pair, sam, rita, olga):
    source, target = pair
    carl = RequesterFactory(name="Carl", email="carl@example.test")
    add_collaborator(actor=sam, ticket=source, person=carl)
    with time_machine.travel(T0.replace(hour=13), tick=False):
        merge_tickets(actor=sam, source=source, target=target)
    target.refresh_from_db()
    source.refresh_from_db()
    assert bodies(target) == [
        "Rita: the printer jams",
        "Olga: it is broken",
        "Rita: still jammed",
        "Olga: a photo",
    ]
    assert Attachment.objects.get().entry.ticket == target
    assert target.requester == rita
    assert set(target.collaborators.all()) == {olga, carl}
    assert source.requester == olga and source.merged_into == target
    assert (source.state, target.state) == (State.CLOSED, State.OPEN)
    assert bodies(source) == []


def test_an_event_on_each_names_the_other(pair, sam):
    source, target = pair
    merge_tickets(actor=sam, source=source, target=target)
    into, came = last_event(source), last_event(target)
    assert (into.event, into.author_agent) == (Event.MERGED_INTO, sam)
    assert into.data["target"] == {"id": target.pk, "number": target.number, "subject": "Printer jam"}
    assert came.event == Event.MERGED_FROM
    assert came.data["source"]["number"] == source.number
    assert came.data["entries"] == 2  # Olga's two messages; the source's events stay with it


def test_the_merged_ticket_leaves_every_queue_and_is_read_only(pair, sam, olga):
    source, target = pair
    merge_tickets(actor=sam, source=source, target=target)
    source.refresh_from_db()
    for queue in ("open", "closed", "unassigned"):
        assert source not in queue_tickets(sam, queue)
    assert can(sam, "view", source) and not can(sam, "reply", source) and not can(sam, "status", source)
    with pytest.raises(NotAllowed):
        post_reply(actor=sam, ticket=source, body="Anyone?")
    with pytest.raises(NotAllowed):
        set_status(actor=olga, ticket=source, status=source.status.__class__.default_for(State.OPEN))


def test_the_old_access_link_leads_to_the_target(pair, sam, olga):
    source, target = pair
    old_link = access_token(source, olga)
    merge_tickets(actor=sam, source=source, target=target)
    assert resolve_token(old_link) == (target, olga)


def test_the_target_clock_is_recomputed_and_a_source_response_counts(pair, sam, sla_plan):
    source, target = pair
    sla_plan.first_response_target = timedelta(hours=8)
    sla_plan.save()
    with time_machine.travel(T0.replace(hour=12), tick=False):
        set_sla_plan(actor=sam, ticket=target, sla_plan=None)
        set_sla_plan(actor=sam, ticket=target, sla_plan=sla_plan)
    with time_machine.travel(T0.replace(hour=12, minute=30), tick=False):
        post_reply(actor=sam, ticket=source, body="Sam: on my way")
    target.refresh_from_db()
    assert target.first_response_due_at is not None
    with time_machine.travel(T0.replace(hour=13), tick=False):
        merge_tickets(actor=sam, source=source, target=target)
    target.refresh_from_db()
    assert target.first_response_at == T0.replace(hour=12, minute=30)
    assert target.first_response_due_at is None  # met: nothing left to warn about on that target
    assert target.due_at is not None and target.next_sla_check_at is not None


@pytest.mark.parametrize("case", ["itself", "into a merged ticket", "a merged ticket"])
def test_refused_merges_change_nothing(pair, sam, open_for, rita, support_topic, case):
    source, target = pair
    third = open_for(rita, support_topic, subject="Third")
    merge_tickets(actor=sam, source=third, target=target)
    third.refresh_from_db()
    arguments, message = {
        "itself": ((source, source), "cannot be merged into itself"),
        "into a merged ticket": (
            (source, third),
            f"merged into #{target.number}: merge into #{target.number} instead",
        ),
        "a merged ticket": ((third, source), "was merged into another ticket already"),
    }[case]
    before = [snapshot(source), snapshot(target), snapshot(third)]
    with pytest.raises(NotMergeable, match=message):
        merge_tickets(actor=sam, source=arguments[0], target=arguments[1])
    assert [snapshot(source), snapshot(target), snapshot(third)] == before


def test_the_merge_permission_is_needed_on_both(pair, lena, support, ivan, it_topic, open_for, rita):
    source, target = pair
    elsewhere = open_for(rita, it_topic, subject="In IT")
    before = snapshot(source)
    with pytest.raises(NotAllowed, match="Lena may not merge tickets"):
        merge_tickets(actor=lena, source=source, target=target)
    with pytest.raises(NotAllowed, match="may not merge tickets on ticket #"):
        merge_tickets(actor=ivan, source=elsewhere, target=target)
    assert snapshot(source) == before
    mergers = Role.objects.create(name="Mergers", permissions=["view", "merge"])
    merge_tickets(
        actor=AgentFactory(departments=[support], departments__role=mergers), source=source, target=target
    )


def test_tickets_merged_before_follow_a_later_merge(pair, sam, open_for, rita, support_topic, olga):
    source, target = pair
    final = open_for(rita, support_topic, subject="Final")
    old_link = access_token(source, olga)
    merge_tickets(actor=sam, source=source, target=target)
    merge_tickets(actor=sam, source=target, target=final)
    source.refresh_from_db()
    assert source.merged_into == final  # one step to the end
    assert resolve_token(old_link) == (final, olga)
    assert set(final.collaborators.all()) == {olga}
    assert len(bodies(final)) == 5


def test_deleting_the_target_deletes_the_merged_ticket_and_says_so(pair, mia):
    source, target = pair
    merge_tickets(actor=mia, source=source, target=target)
    delete_ticket(actor=mia, ticket=target)
    assert not Ticket.objects.exists() and not Attachment.objects.exists()
    assert AuditEntry.objects.get(action="ticket.deleted").data["merged"] == [source.number]
