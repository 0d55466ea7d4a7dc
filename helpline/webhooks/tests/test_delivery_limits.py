"""What a receiver cannot make a delivery do: keep the sender past its time limit by answering slowly, store
what a text column refuses, or have a sender that held it too long overwrite the outcome of the one that
took it over."""

import socket
import threading
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from helpline.tickets.actions import post_reply
from helpline.webhooks.models import Attempt, Delivery
from helpline.webhooks.tasks import sweep_webhooks


def test_an_answer_with_nul_bytes_is_kept_without_them(make_hook, reply, receiver):
    make_hook(events=["ticket.response"])
    receiver.bodies.append(b"ok\x00done")
    reply()
    attempt = Attempt.objects.get()
    assert (attempt.succeeded, attempt.response_excerpt) == (True, "okdone")
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


def test_a_receiver_that_drips_its_answer_is_cut_off_at_the_time_limit(make_hook, reply, receiver, settings):
    settings.HELPLINE_WEBHOOK_TIMEOUT = 1
    receiver.drip = 0.1  # some forty bytes: four seconds, each byte well inside the socket's timeout
    make_hook(events=["ticket.response"])
    started = time.monotonic()
    reply()
    assert time.monotonic() - started < 2.5
    attempt = Attempt.objects.get()
    assert not attempt.succeeded and "took longer than 1 s" in attempt.error
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sender_that_held_a_delivery_past_its_lease_leaves_the_next_senders_outcome(
    make_hook, ticket, sam, receiver
):
    make_hook(events=["ticket.response"])
    answer_late = threading.Event()
    receiver.gates.append(answer_late)
    receiver.answers.append(500)  # what the first sender will hear, too late

    def first_sender():
        try:
            post_reply(actor=sam, ticket=ticket, body="On it")  # delivered from its commit, in this thread
        finally:
            connections.close_all()

    first = threading.Thread(target=first_sender)
    first.start()
    deadline = time.monotonic() + 10
    while not receiver.received and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(receiver.received) == 1
    # The first sender's lease runs out while the receiver stalls: the sweep's sender takes the delivery.
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    sweep_webhooks.call_local()
    assert len(receiver.received) == 2
    answer_late.set()
    first.join(10)
    assert not first.is_alive()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        Delivery.Status.DELIVERED,
        2,
        None,
    )
    assert sorted(Attempt.objects.values_list("succeeded", "status_code")) == [(False, 500), (True, 200)]
    assert len(receiver.received) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_delivery_whose_hook_is_deleted_while_it_is_sent_is_left_alone(
    make_hook, ticket, sam, receiver, caplog
):
    hook = make_hook(events=["ticket.response"])

    def delete_the_hook():
        try:
            hook.delete()
        finally:
            connections.close_all()

    receiver.on_receive = delete_the_hook
    post_reply(actor=sam, ticket=ticket, body="On it")  # delivered from its commit
    assert len(receiver.received) == 1
    assert not Delivery.objects.exists() and not Attempt.objects.exists()
    assert not [record for record in caplog.records if record.levelname in ("ERROR", "CRITICAL")]


def test_a_name_with_several_addresses_is_reached_at_the_first_that_answers(
    make_hook, reply, receiver, monkeypatch
):
    """As a name with an IPv6 address the server has no route to, then an IPv4 one: the first refuses the
    connection, the second is the receiver."""
    port = int(receiver.url.split(":")[2].split("/")[0])
    unreachable = (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.2", port))
    receiver_address = (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))
    real = socket.getaddrinfo

    def lookup(host, *args, **kwargs):
        return (
            [unreachable, receiver_address] if host == "hooks.example.test" else real(host, *args, **kwargs)
        )

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    make_hook(events=["ticket.response"], url=f"http://hooks.example.test:{port}/two")
    reply()
    [received] = receiver.received
    assert received.headers["host"] == f"hooks.example.test:{port}"
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED
