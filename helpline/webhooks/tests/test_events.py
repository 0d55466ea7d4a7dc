"""Each ticket event a hook follows reaches it, from whichever door made the change: the actions announce
what they recorded once it has committed, and nothing of a change that rolled back."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction

from helpline.catalog.models import Priority, State, TicketStatus
from helpline.testsupport.webhook_receiver import ALL_EVENTS
from helpline.tickets.actions import (
    add_note,
    assign_ticket,
    merge_tickets,
    post_message,
    post_reply,
    set_priority,
    set_status,
    transfer_ticket,
)
from helpline.tickets.models import Ticket
from helpline.tickets.tasks import check_sla
from helpline.webhooks.models import Delivery

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_every_event_reaches_a_hook_that_follows_them_all(
    make_hook, receiver, open_for, rita, support_topic, ada, sam, ivan, committed
):
    make_hook(events=ALL_EVENTS)
    ticket = open_for(rita, support_topic)
    assert receiver.types == ["ticket.created", "ticket.message"]
    other = open_for(rita, support_topic, subject="Same printer")
    receiver.received.clear()
    it = ivan.memberships.get().department
    with committed():
        post_message(actor=rita, ticket=ticket, body="Still burning")
        post_reply(actor=sam, ticket=ticket, body="On my way")
        add_note(actor=sam, ticket=ticket, body="Bring the extinguisher")
        assign_ticket(actor=ada, ticket=ticket, agent=sam)
        transfer_ticket(actor=ada, ticket=ticket, department=it)
        # Not a webhook event: it is sent nothing.
        set_priority(
            actor=ada, ticket=ticket, priority=Priority.objects.exclude(pk=ticket.priority_id).first()
        )
        set_status(actor=ada, ticket=ticket, status=TicketStatus.default_for(State.PENDING))
        set_status(actor=ada, ticket=ticket, status=TicketStatus.default_for(State.CLOSED))
        merge_tickets(actor=ada, source=other, target=ticket)
    assert receiver.types[:8] == [
        "ticket.message",
        "ticket.response",
        "ticket.note",
        "ticket.assigned",
        "ticket.transferred",
        "ticket.status_changed",
        "ticket.status_changed",
        "ticket.closed",
    ]
    merged = [item.json for item in receiver.received[8:] if item.json["type"] == "ticket.merged"]
    assert [(m["data"]["ticket"]["id"], m["data"]["entry"]["data"]["target"]["id"]) for m in merged] == [
        (other.pk, ticket.pk)
    ]
    closed = receiver.received[7].json
    assert closed["data"]["ticket"]["status"]["state"] == "closed"
    assert closed["data"]["entry"]["data"]["previous_state"] == "pending"


def test_a_ticket_that_misses_its_target_reaches_the_hook_through_the_sla_job(
    make_hook, receiver, open_for, rita, support_topic, committed
):
    make_hook(events=["ticket.overdue"])
    with time_machine.travel(T0, tick=False):
        ticket = open_for(rita, support_topic)
    assert receiver.received == []
    with time_machine.travel(T0 + timedelta(days=2), tick=False), committed():
        assert check_sla.call_local() == 1
    [overdue] = receiver.received
    assert overdue.json["type"] == "ticket.overdue"
    assert overdue.json["data"]["ticket"]["number"] == ticket.number
    assert overdue.json["data"]["entry"]["author"]["name"] == "SLA monitor"


def test_a_hook_is_sent_only_the_events_it_follows(make_hook, receiver, ticket, sam, committed):
    notes = make_hook(name="Notes", events=["ticket.note"])
    make_hook(name="Off", events=ALL_EVENTS, is_active=False)
    with committed():
        post_reply(actor=sam, ticket=ticket, body="Public")
        add_note(actor=sam, ticket=ticket, body="Private")
    assert receiver.types == ["ticket.note"]
    assert list(Delivery.objects.values_list("webhook", flat=True)) == [notes.pk]


def test_a_change_that_rolled_back_sends_nothing(make_hook, receiver, ticket, sam, committed):
    make_hook(events=["ticket.note"])
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        add_note(actor=sam, ticket=ticket, body="Never")
        raise RuntimeError("the change fails after the note")
    assert receiver.received == [] and not Delivery.objects.exists()
    assert Ticket.objects.get(pk=ticket.pk).entries.filter(body_text="Never").count() == 0
