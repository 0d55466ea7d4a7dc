"""Notifications are rows written with the change, delivered once each: a failure half-way, a retry, a lost
task or a second worker never sends anyone an email twice or leaves one unsent."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from helpline.catalog.models import State, TicketStatus
from helpline.mail.models import OutboundEmail
from helpline.tickets import notification_emails, notifications
from helpline.tickets.actions import post_message, post_reply
from helpline.tickets.models import Notification
from helpline.tickets.notifications import SWEEP_GRACE, deliver_notifications, due_notifications
from helpline.tickets.tasks import sweep_notifications


@pytest.fixture
def shared(open_for, rita, carl, support_topic, sam, mailoutbox):
    """Rita's ticket with Carl copied: a response goes to two people."""
    ticket = open_for(rita, support_topic, collaborators=[carl])
    mailoutbox.clear()
    return ticket


def reply_without_delivery(django_capture_on_commit_callbacks, **kwargs) -> Notification:
    """Post a reply whose notification task is lost (never run), as a killed worker would lose it."""
    with django_capture_on_commit_callbacks(execute=False):
        entry = post_reply(**kwargs)
    return Notification.objects.get(entry=entry)


def test_the_change_and_its_notification_commit_together(shared, sam, django_capture_on_commit_callbacks):
    owed = reply_without_delivery(django_capture_on_commit_callbacks, actor=sam, ticket=shared, body="Hi")
    assert (owed.kind, owed.status, owed.ticket_id, owed.actor_agent_id) == (
        "response",
        "pending",
        shared.pk,
        sam.pk,
    )


def test_a_failure_half_way_sends_nothing_twice(
    shared, sam, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    owed = reply_without_delivery(
        django_capture_on_commit_callbacks, actor=sam, ticket=shared, body="Unplug it."
    )
    real_render = notification_emails._render
    calls = []

    def render_failing_on_the_second(kind, values, override):
        calls.append(values["requester"].email)
        if len(calls) == 2:
            raise ConnectionError("template storage went away")
        return real_render(kind, values, override)

    monkeypatch.setattr(notification_emails, "_render", render_failing_on_the_second)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_notifications([owed.pk]) == 0
    owed.refresh_from_db()
    assert (owed.status, owed.attempts) == ("pending", 1) and "template storage" in owed.last_error
    assert not OutboundEmail.objects.filter(reason="response").exists() and mailoutbox == []
    # The retry writes both emails, once.
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_notifications([owed.pk]) == 2
    assert sorted(mail.to[0] for mail in mailoutbox) == ["carl@example.test", "rita@example.test"]
    owed.refresh_from_db()
    assert owed.status == "done"


def test_delivering_again_sends_nothing_more(shared, sam, mailoutbox, django_capture_on_commit_callbacks):
    owed = reply_without_delivery(django_capture_on_commit_callbacks, actor=sam, ticket=shared, body="Hi")
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_notifications([owed.pk]) == 2
        assert deliver_notifications([owed.pk]) == 0
    assert len(mailoutbox) == 2
    assert OutboundEmail.objects.filter(reason="response").count() == 2


def test_an_outbox_row_already_written_for_a_recipient_is_not_written_again(
    shared, sam, mailoutbox, django_capture_on_commit_callbacks
):
    """Should a notification be delivered while an earlier attempt's rows exist (its done mark lost), each
    recipient's row is keyed: only what is missing is added."""
    owed = reply_without_delivery(django_capture_on_commit_callbacks, actor=sam, ticket=shared, body="Hi")
    with django_capture_on_commit_callbacks(execute=True):
        deliver_notifications([owed.pk])
    OutboundEmail.objects.filter(to=["carl@example.test"]).delete()
    Notification.objects.filter(pk=owed.pk).update(status="pending")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_notifications([owed.pk]) == 1
    assert [mail.to for mail in mailoutbox] == [["carl@example.test"]]


def test_the_sweep_delivers_what_a_lost_task_left(
    shared, sam, mailoutbox, django_capture_on_commit_callbacks
):
    owed = reply_without_delivery(django_capture_on_commit_callbacks, actor=sam, ticket=shared, body="Hi")
    # While the task queue may still be on it, the sweep leaves it alone.
    assert owed.pk not in due_notifications()
    with (
        time_machine.travel(timezone.now() + SWEEP_GRACE + timedelta(seconds=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert owed.pk in due_notifications()
        assert sweep_notifications.call_local() == 2
    assert sorted(mail.to[0] for mail in mailoutbox) == ["carl@example.test", "rita@example.test"]


def test_a_notification_that_keeps_failing_is_given_up_and_says_why(
    shared, sam, monkeypatch, django_capture_on_commit_callbacks
):
    owed = reply_without_delivery(django_capture_on_commit_callbacks, actor=sam, ticket=shared, body="Hi")

    def broken(kind, address, context):
        raise LookupError("no such template")

    monkeypatch.setattr(notification_emails, "_render", broken)
    for _ in range(notifications.MAX_ATTEMPTS):
        deliver_notifications([owed.pk])
    owed.refresh_from_db()
    assert (owed.status, owed.attempts, owed.next_attempt_at) == ("failed", notifications.MAX_ATTEMPTS, None)
    assert owed.last_error == "LookupError: no such template"
    assert owed.pk not in due_notifications()


def test_one_failing_notification_does_not_hold_back_the_others(
    shared, sam, rita, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    first = reply_without_delivery(django_capture_on_commit_callbacks, actor=sam, ticket=shared, body="Hi")
    with django_capture_on_commit_callbacks(execute=False):
        entry = post_message(actor=rita, ticket=shared, body="Thanks")
    second = Notification.objects.get(entry=entry)
    real_render = notification_emails._render

    def broken_for_responses(kind, values, override):
        if kind == "response":
            raise LookupError("no such template")
        return real_render(kind, values, override)

    monkeypatch.setattr(notification_emails, "_render", broken_for_responses)
    with django_capture_on_commit_callbacks(execute=True):
        deliver_notifications([first.pk, second.pk])
    assert Notification.objects.get(pk=first.pk).status == "pending"
    assert Notification.objects.get(pk=second.pk).status == "done"
    assert [mail.subject for mail in mailoutbox] == [f"New message: [#{shared.number}] Printer on fire"]


def test_reply_and_resolve_is_one_email_that_says_both(
    shared, sam, mailoutbox, django_capture_on_commit_callbacks
):
    resolved = TicketStatus.default_for(State.RESOLVED)
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=shared, body="Fixed the driver.", status=resolved)
    to_rita = [mail for mail in mailoutbox if mail.to == ["rita@example.test"]]
    assert [mail.subject for mail in to_rita] == [f"Resolved: [#{shared.number}] Printer on fire"]
    [email] = to_rita
    assert "Fixed the driver." in email.body
    assert "your ticket is resolved" in email.body and "reopen the ticket here" in email.body


def test_a_plain_reply_does_not_say_resolved(shared, sam, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=shared, body="Try this.")
    assert all("resolved" not in mail.body and mail.subject.startswith("Re: ") for mail in mailoutbox)
