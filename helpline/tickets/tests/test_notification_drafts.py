"""A lot's emails are made before the transaction that stores them (on SQLite its BEGIN takes the write
lock), and kept only while they still hold: the same notifications pending, and no email to their tickets
stored in between, which their threading would have to continue. These tests commit for real."""

import pytest
from django.db import connection

from helpline.mail.models import OutboundEmail
from helpline.mail.outbox import queue_email
from helpline.tickets import notification_emails
from helpline.tickets.actions import post_reply
from helpline.tickets.models import Notification
from helpline.tickets.notifications import deliver_notifications

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def owed(ticket, sam, queue):
    """Sam's reply to Rita, its notification's task waiting in the queue."""
    before = set(Notification.objects.values_list("pk", flat=True))
    post_reply(actor=sam, ticket=ticket, body="Unplug it.")
    return sorted(set(Notification.objects.values_list("pk", flat=True)) - before)


@pytest.fixture
def while_rendering(monkeypatch):
    """Run ``during(values)`` each time an email is rendered, just before."""

    def watch(during):
        real = notification_emails._render

        def render(kind, values, override):
            during(values)
            return real(kind, values, override)

        monkeypatch.setattr(notification_emails, "_render", render)

    return watch


def test_a_lots_emails_are_made_outside_its_transaction(owed, while_rendering):
    in_transaction = []
    while_rendering(lambda values: in_transaction.append(connection.in_atomic_block))
    assert deliver_notifications(owed) == 1
    assert in_transaction == [False]
    assert Notification.objects.get(pk__in=owed).status == Notification.Status.DONE


def test_an_email_to_the_ticket_stored_meanwhile_makes_the_draft_again(ticket, owed, while_rendering):
    between = []

    def another_email_first(values):
        if not between:  # once: made again, the emails name it
            between.append(
                queue_email(
                    to=[values["requester"].email],
                    subject="Your ticket",
                    body_text="Written by another worker.",
                    reason="test",
                    ticket_id=ticket.pk,
                )
            )

    while_rendering(another_email_first)
    assert deliver_notifications(owed) == 1
    response = OutboundEmail.objects.get(reason="response")
    assert response.headers["In-Reply-To"] == between[0].message_id
    assert between[0].message_id in response.headers["References"]


def test_a_notification_delivered_meanwhile_stores_nothing(owed, while_rendering):
    while_rendering(lambda values: Notification.objects.filter(pk__in=owed).update(status="done"))
    assert deliver_notifications(owed) == 0
    assert not OutboundEmail.objects.filter(reason="response").exists()
