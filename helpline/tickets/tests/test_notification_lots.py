"""Notifications delivered in lots: what a lot shares is read once, each notification still goes out once,
in its ticket's order and threaded on what the lot sent before, and one at fault is retried on its own."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import DatabaseError

from helpline.mail.models import OutboundEmail
from helpline.mail.outbox import LEASE
from helpline.mail.tasks import retry_due_emails
from helpline.tickets import notification_emails
from helpline.tickets.actions import assign_ticket, post_message
from helpline.tickets.models import Notification
from helpline.tickets.notifications import deliver_notifications

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def lost(django_capture_on_commit_callbacks):
    """Run an action whose notification task is lost (never run); returns its notifications' ids."""

    def run(action, **kwargs) -> list[int]:
        before = set(Notification.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=False):
            action(**kwargs)
        return sorted(set(Notification.objects.values_list("pk", flat=True)) - before)

    return run


@pytest.fixture
def tickets(open_for, rita, support_topic, sam, mailoutbox):
    """Five of Rita's tickets, the emails about their opening out of the way."""
    opened = [open_for(rita, support_topic, subject=f"Printer {n} on fire") for n in range(5)]
    mailoutbox.clear()
    return opened


def test_a_lot_reads_what_its_tickets_share_once(tickets, rita, lost, django_assert_max_num_queries):
    ids = [pk for ticket in tickets for pk in lost(post_message, actor=rita, ticket=ticket, body="Any news?")]
    assert len(ids) == 5
    # Per ticket only its conversation so far is read; the tickets, templates, the department's agents,
    # the outbox's keys and the done marks are read or written once for the lot. Before the transaction a
    # plain read sees whether any is pending; the lot's latest email is read when its emails are drafted
    # and again in the transaction, to see that the draft still holds.
    with django_assert_max_num_queries(15 + len(tickets)):
        assert deliver_notifications(ids) == 5
    assert Notification.objects.filter(pk__in=ids, status="done").count() == 5


def test_two_notifications_of_a_lot_to_one_agent_are_threaded_in_order(
    tickets, rita, sam, ada, lost, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = tickets[0]
    first = lost(assign_ticket, actor=ada, ticket=ticket, agent=sam)
    second = lost(post_message, actor=rita, ticket=ticket, body="Any news?")
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_notifications([*second, *first]) == 2
    assigned, message = mailoutbox  # in the order the changes made them, whatever order the ids came in
    assert assigned.subject.startswith("Assigned:") and message.subject.startswith("New message:")
    assert assigned.to == message.to == ["sam@staff.example.test"]
    assert message.extra_headers["In-Reply-To"] == assigned.extra_headers["Message-ID"]
    assert assigned.extra_headers["Message-ID"] in message.extra_headers["References"]


def test_a_lot_takes_the_notifications_waiting_for_their_tasks_but_not_retries(
    tickets, rita, sam, lost, mailoutbox, django_capture_on_commit_callbacks
):
    waiting = lost(post_message, actor=rita, ticket=tickets[1], body="Still broken")
    retrying = lost(post_message, actor=rita, ticket=tickets[2], body="Hello?")
    Notification.objects.filter(pk__in=retrying).update(attempts=1)  # failed once: it waits for its time
    own = lost(post_message, actor=rita, ticket=tickets[0], body="Any news?")
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_notifications(own, with_waiting=True) == 2
        # The waiting notification's own task comes later and finds it done.
        assert deliver_notifications(waiting, with_waiting=True) == 0
    assert sorted(mail.subject for mail in mailoutbox) == sorted(
        [
            f"New message: [#{tickets[0].number}] Printer 0 on fire",
            f"New message: [#{tickets[1].number}] Printer 1 on fire",
        ]
    )
    assert Notification.objects.get(pk__in=retrying).status == "pending"


def test_a_database_error_in_a_lot_fails_only_the_notification_at_fault(
    tickets, rita, sam, lost, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    ids = [pk for ticket in tickets[:3] for pk in lost(post_message, actor=rita, ticket=ticket, body="Hi")]
    real_render = notification_emails._render

    def failing_for_the_second(kind, values, override):
        if values["ticket"].number == tickets[1].number:
            raise DatabaseError("the connection went away")
        return real_render(kind, values, override)

    monkeypatch.setattr(notification_emails, "_render", failing_for_the_second)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_notifications(ids) == 2
    rows = Notification.objects.in_bulk(ids)
    assert [(rows[pk].status, rows[pk].attempts) for pk in ids] == [("done", 1), ("pending", 1), ("done", 1)]
    assert "connection went away" in rows[ids[1]].last_error
    assert OutboundEmail.objects.filter(reason="message_alert").count() == 2 and len(mailoutbox) == 2


def test_emails_of_a_worker_killed_before_sending_them_come_due_after_its_lease(
    tickets, rita, lost, mailoutbox, django_capture_on_commit_callbacks
):
    ids = lost(post_message, actor=rita, ticket=tickets[0], body="Any news?")
    with time_machine.travel(T0, tick=False):
        with django_capture_on_commit_callbacks(execute=False):  # the worker dies after the commit
            assert deliver_notifications(ids) == 1
        email = OutboundEmail.objects.get(reason="message_alert")
        assert (email.status, email.attempts) == ("pending", 0) and mailoutbox == []
        assert retry_due_emails.call_local() == 0  # leased to the worker that stored it
    with time_machine.travel(T0 + LEASE, tick=False):
        assert retry_due_emails.call_local() == 1
        assert retry_due_emails.call_local() == 0
    assert [mail.subject for mail in mailoutbox] == [f"New message: [#{tickets[0].number}] Printer 0 on fire"]
