"""No event is lost when the process dies between a change's commit and the writing of its deliveries: the
entry's own transaction notes what is owed, and the minute's sweep writes what nobody did, once."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from helpline.tickets.actions import post_reply
from helpline.webhooks.models import Delivery, OwedEvent
from helpline.webhooks.tasks import sweep_webhooks


def test_the_normal_path_writes_the_deliveries_and_takes_the_note(
    make_hook, receiver, ticket, sam, django_capture_on_commit_callbacks
):
    make_hook(events=["ticket.response"])
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=ticket, body="On it")
    assert Delivery.objects.count() == 1 and not OwedEvent.objects.exists()
    assert len(receiver.received) == 1


def test_a_process_dying_after_the_commit_loses_no_event(
    make_hook, receiver, ticket, sam, django_capture_on_commit_callbacks
):
    make_hook(events=["ticket.response"])
    with django_capture_on_commit_callbacks(execute=False) as lost:  # committed; the process died then
        entry = post_reply(actor=sam, ticket=ticket, body="On it")
    assert not Delivery.objects.exists()
    assert OwedEvent.objects.filter(entry_id=entry.pk).exists()
    sweep_webhooks.call_local()
    assert not Delivery.objects.exists()  # within the grace, the announcement may still come
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        with django_capture_on_commit_callbacks(execute=True):
            sweep_webhooks.call_local()
        (delivery,) = Delivery.objects.all()
        assert delivery.entry_id == entry.pk and delivery.event_type == "ticket.response"
        assert not OwedEvent.objects.exists()
        # The announcement arriving after all writes nothing twice.
        for callback in lost:
            callback()
    assert Delivery.objects.count() == 1


def test_no_note_is_kept_while_no_hook_is_active(ticket, sam, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        post_reply(actor=sam, ticket=ticket, body="On it")
    assert not OwedEvent.objects.exists()


def test_a_change_rolled_back_leaves_no_note(make_hook, receiver, ticket, sam):
    make_hook(events=["ticket.response"])
    with pytest.raises(RuntimeError), transaction.atomic():
        post_reply(actor=sam, ticket=ticket, body="On it")
        raise RuntimeError("the rest of the change failed")
    assert not OwedEvent.objects.exists() and not Delivery.objects.exists()
