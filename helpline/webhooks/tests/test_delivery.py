"""Deliveries against a real receiver on loopback: signed as Standard Webhooks say (checked with the reference
library, as a receiver checks them), retried with backoff until the receiver answers, logged, switched off
after failing again and again, and never sent to an internal address that no administrator allowed."""

import socket
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from standardwebhooks.webhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from helpline.audit.models import AuditEntry
from helpline.tickets.actions import add_note
from helpline.webhooks.models import Attempt, Delivery, Webhook
from helpline.webhooks.signing import new_secret
from helpline.webhooks.tasks import sweep_webhooks

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(minutes: float):
    return time_machine.travel(T0 + timedelta(minutes=minutes), tick=False)


def test_a_delivery_is_signed_for_the_receiver_to_check(make_hook, reply, receiver, ticket):
    hook = make_hook(events=["ticket.response"])
    entry = reply("On it")
    [received] = receiver.received
    assert received.path == "/hooks/helpline?from=test"
    assert received.headers["content-type"] == "application/json"
    payload = Verifier(hook.secret).verify(received.body, received.headers)
    assert payload["type"] == "ticket.response"
    assert payload["data"]["ticket"] | {"department": None, "status": None} == {
        "id": ticket.pk,
        "number": ticket.number,
        "subject": "Printer on fire",
        "department": None,
        "status": None,
    }
    assert payload["data"]["ticket"]["department"]["name"] == "Support"
    assert payload["data"]["entry"]["id"] == entry.pk
    assert payload["data"]["entry"]["body_text"] == "On it"
    assert received.headers["webhook-id"].startswith("msg_")
    with pytest.raises(WebhookVerificationError):
        Verifier(new_secret()).verify(received.body, received.headers)
    with pytest.raises(WebhookVerificationError):
        Verifier(hook.secret).verify(received.body.replace(b"On it", b"Oh no"), received.headers)
    attempt = Attempt.objects.get()
    assert (attempt.succeeded, attempt.status_code, attempt.response_excerpt) == (True, 200, "ok")
    assert attempt.response_ms is not None
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


def test_a_failing_receiver_is_tried_again_with_growing_waits_until_it_answers(make_hook, reply, receiver):
    hook = make_hook(events=["ticket.response"])
    receiver.answers.extend([500, 503])
    with at(0):
        reply()
        Verifier(hook.secret).verify(receiver.received[-1].body, receiver.received[-1].headers)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert delivery.next_attempt_at == T0 + timedelta(minutes=2)
    with at(1):
        assert sweep_webhooks.call_local() == 0  # not due yet
    with at(2):
        assert sweep_webhooks.call_local() == 0  # tried: 503
        Verifier(hook.secret).verify(receiver.received[-1].body, receiver.received[-1].headers)
    assert Delivery.objects.get().next_attempt_at == T0 + timedelta(minutes=2 + 4)
    with at(5):
        assert sweep_webhooks.call_local() == 0
    with at(6):
        assert sweep_webhooks.call_local() == 1
        Verifier(hook.secret).verify(receiver.received[-1].body, receiver.received[-1].headers)
    # Each attempt is signed when it is made, over the same body under the same id.
    stamps = [int(received.headers["webhook-timestamp"]) for received in receiver.received]
    assert stamps == [int((T0 + timedelta(minutes=m)).timestamp()) for m in (0, 2, 6)]
    assert len({received.headers["webhook-id"] for received in receiver.received}) == 1
    assert len({received.body for received in receiver.received}) == 1
    log = list(Attempt.objects.order_by("id").values_list("status_code", "succeeded", "error"))
    assert log == [(500, False, "HTTP 500"), (503, False, "HTTP 503"), (200, True, "")]
    assert len(Attempt.objects.order_by("id").first().response_excerpt) <= 1000
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.delivered_at == T0 + timedelta(minutes=6)


def test_a_hook_that_keeps_failing_is_switched_off_and_the_administrators_told(
    make_hook, ticket, sam, ada, receiver, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.HELPLINE_WEBHOOK_FAILURES_TO_DISABLE = 2
    hook = make_hook(events=["ticket.note"])
    receiver.answers.extend([500] * 50)
    mailoutbox.clear()
    with at(0), django_capture_on_commit_callbacks(execute=True):
        add_note(actor=sam, ticket=ticket, body="One")
        add_note(actor=sam, ticket=ticket, body="Two")
    for minute in range(1, 70):
        with at(minute), django_capture_on_commit_callbacks(execute=True):
            sweep_webhooks.call_local()
    assert len(receiver.received) == 12  # two deliveries, six attempts each
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.FAILED}
    hook.refresh_from_db()
    assert not hook.is_active and hook.consecutive_failures == 2
    assert "2 deliveries in a row failed" in hook.disabled_reason and "HTTP 500" in hook.disabled_reason
    entry = AuditEntry.objects.get(action="webhook.switched_off")
    assert (entry.target_id, entry.actor_name) == (str(hook.pk), "Webhook deliveries")
    [notice] = mailoutbox
    assert notice.to == ["ada@staff.example.test"] and "CRM" in notice.subject
    # Switched off, it is sent nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        add_note(actor=sam, ticket=ticket, body="Three")
    assert Delivery.objects.count() == 2 and len(receiver.received) == 12


def test_a_success_clears_the_count_of_failures(make_hook, reply, receiver, settings):
    settings.HELPLINE_WEBHOOK_FAILURES_TO_DISABLE = 2
    hook = make_hook(events=["ticket.response"])
    Webhook.objects.filter(pk=hook.pk).update(consecutive_failures=1)
    reply()
    hook.refresh_from_db()
    assert hook.is_active and hook.consecutive_failures == 0


def test_loopback_is_refused_unless_an_administrator_allowed_it(make_hook, reply, receiver, settings):
    settings.HELPLINE_WEBHOOK_ALLOWED_NETWORKS = []
    make_hook(events=["ticket.response"])
    reply()
    assert receiver.received == []
    attempt = Attempt.objects.get()
    assert attempt.status_code is None and not attempt.succeeded
    assert "127.0.0.1 is a private, loopback" in attempt.error


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.7/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:10.0.0.7]/hook",
        "http://[fe80::1]/hook",
        "http://0.0.0.0/hook",
        "http://100.64.0.1/hook",
    ],
)
def test_private_addresses_are_refused_by_default(make_hook, reply, url):
    make_hook(events=["ticket.response"], url=url)
    reply()
    attempt = Attempt.objects.get()
    assert not attempt.succeeded and "webhooks may not connect to it" in attempt.error


def test_a_name_is_resolved_once_and_the_checked_address_connected_to(
    make_hook, reply, receiver, monkeypatch
):
    """A second lookup could answer with another address than the one checked (DNS rebinding): the
    connection goes to the checked address, and the name is looked up once."""
    looked_up = []
    real = socket.getaddrinfo

    def spy(host, *args, **kwargs):
        looked_up.append(host)
        return real(host, *args, **kwargs)

    port = receiver.url.split(":")[2].split("/")[0]
    make_hook(events=["ticket.response"], url=f"http://localhost:{port}/by-name")
    monkeypatch.setattr(socket, "getaddrinfo", spy)
    reply()
    [received] = receiver.received
    assert received.headers["host"] == f"localhost:{port}"
    assert looked_up.count("localhost") == 1


def test_redirects_are_not_followed(make_hook, reply, receiver):
    receiver.answers.append(302)
    make_hook(events=["ticket.response"])
    reply()
    assert len(receiver.received) == 1
    assert Attempt.objects.get().error == "HTTP 302 (redirects are not followed)"


def test_a_receiver_that_is_not_there_is_a_failed_attempt(make_hook, reply):
    make_hook(events=["ticket.response"], url="http://127.0.0.1:9/closed")
    reply()
    attempt = Attempt.objects.get()
    assert attempt.status_code is None and "ConnectionRefusedError" in attempt.error
    assert Delivery.objects.get().status == Delivery.Status.PENDING
