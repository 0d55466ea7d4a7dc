"""Finished deliveries are removed with their attempts once older than the retention; pending ones stay."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from helpline.tickets.actions import post_reply
from helpline.webhooks import pruning
from helpline.webhooks.models import Attempt, Delivery
from helpline.webhooks.tasks import prune_webhook_deliveries_hourly


def test_old_finished_deliveries_go_with_their_attempts_and_pending_ones_stay(
    make_hook, receiver, ticket, sam, settings, django_capture_on_commit_callbacks, monkeypatch
):
    make_hook(events=["ticket.response"])
    receiver.answers.extend([200, 500])
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=ticket, body="Delivered")
        post_reply(actor=sam, ticket=ticket, body="Failing, retried later")
    delivered, pending = Delivery.objects.order_by("pk")
    assert delivered.status == Delivery.Status.DELIVERED and pending.status == Delivery.Status.PENDING
    recent = Delivery.objects.create(
        webhook=delivered.webhook,
        message_id="msg_recent",
        event_type="ticket.note",
        body="{}",
        status=Delivery.Status.FAILED,
        created_at=timezone.now() + timedelta(days=25),
    )
    assert Attempt.objects.filter(delivery=delivered).exists()
    settings.HELPLINE_WEBHOOK_DELIVERY_DAYS = 30
    monkeypatch.setattr(pruning, "BATCH", 1)  # several batches in one run
    assert prune_webhook_deliveries_hourly.call_local() == 0  # nothing is 30 days old yet
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert prune_webhook_deliveries_hourly.call_local() == 1
    assert set(Delivery.objects.values_list("pk", flat=True)) == {pending.pk, recent.pk}
    assert not Attempt.objects.filter(delivery_id=delivered.pk).exists()


def test_a_retention_of_zero_keeps_everything(
    make_hook, receiver, ticket, sam, settings, django_capture_on_commit_callbacks
):
    make_hook(events=["ticket.response"])
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=ticket, body="Delivered")
    settings.HELPLINE_WEBHOOK_DELIVERY_DAYS = 0
    with time_machine.travel(timezone.now() + timedelta(days=3650)):
        assert pruning.prune() == 0
    assert Delivery.objects.count() == 1
