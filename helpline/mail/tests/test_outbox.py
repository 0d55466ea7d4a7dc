"""The outbox: every email is a row first, delivered after the commit, retried on failure, given up on."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from helpline.mail.models import OutboundEmail
from helpline.mail.outbox import LEASE, MAX_ATTEMPTS, claim, deliver, due_emails, queue_email
from helpline.mail.tasks import retry_due_emails

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


class DownBackend(BaseEmailBackend):
    """A transport whose server refuses every connection."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("[Errno 111] Connection refused")


@pytest.fixture
def transport_down(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.DownBackend"}}


@pytest.fixture
def queued(db, django_capture_on_commit_callbacks):
    """Queue an email and run its delivery after the commit, as an action's notification would."""

    def queue(**overrides):
        fields = {
            "to": ["rita@example.test"],
            "subject": "Hello",
            "body_text": "Body",
            "reason": "test",
            "headers": {"Auto-Submitted": "auto-generated"},
        }
        with django_capture_on_commit_callbacks(execute=True):
            email = queue_email(**fields | overrides)
        email.refresh_from_db()
        return email

    return queue


def test_an_email_is_a_row_then_sent_after_the_commit(queued, mailoutbox):
    email = queued(to=[" rita@example.test", "carl@example.test", "rita@example.test ", ""], ticket_id=7)
    assert email.to == ["carl@example.test", "rita@example.test"]
    assert (email.status, email.attempts, email.reason, email.ticket_id) == ("sent", 1, "test", 7)
    assert email.sent_at is not None and email.next_attempt_at is None
    [mail] = mailoutbox
    assert mail.to == ["carl@example.test", "rita@example.test"]
    assert (mail.subject, mail.body) == ("Hello", "Body")
    # The Message-ID it went out with is the one its row keeps.
    assert mail.extra_headers == {"Auto-Submitted": "auto-generated", "Message-ID": email.message_id}


def test_an_html_part_is_sent_as_an_alternative(queued, mailoutbox):
    queued(body_html="<p>Body</p>")
    assert mailoutbox[0].alternatives[0][:2] == ("<p>Body</p>", "text/html")


def test_nothing_is_queued_without_recipients(db):
    assert queue_email(to=["", "  "], subject="x", body_text="y", reason="test") is None
    assert not OutboundEmail.objects.exists()


def test_a_rolled_back_transaction_sends_nothing(db, django_capture_on_commit_callbacks, mailoutbox):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
    ):
        queue_email(to=["rita@example.test"], subject="x", body_text="y", reason="test")
        1 / 0  # noqa: B018 - the failure that rolls the change back
    assert not OutboundEmail.objects.exists() and mailoutbox == []


def test_a_failed_delivery_is_recorded_and_scheduled_again(queued, transport_down, mailoutbox):
    with time_machine.travel(T0, tick=False):
        email = queued()
    assert email.status == OutboundEmail.Status.PENDING
    assert email.attempts == 1
    assert email.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert email.next_attempt_at == T0 + timedelta(minutes=2)
    assert email.sent_at is None and mailoutbox == []


def test_retries_back_off_then_give_up(queued, transport_down):
    with time_machine.travel(T0, tick=False) as traveller:
        email = queued()
        waits = []
        while email.status == OutboundEmail.Status.PENDING:
            wait = email.next_attempt_at - T0 - sum(waits, timedelta())
            traveller.shift(wait - timedelta(seconds=1))
            assert retry_due_emails.call_local() == 0  # not due yet
            assert OutboundEmail.objects.get(pk=email.pk).attempts == email.attempts
            traveller.shift(timedelta(seconds=1))
            retry_due_emails.call_local()
            waits.append(wait)
            email.refresh_from_db()
    assert waits == [timedelta(minutes=2**n) for n in range(1, MAX_ATTEMPTS)]
    assert email.status == OutboundEmail.Status.FAILED and email.attempts == MAX_ATTEMPTS
    assert email.next_attempt_at is None and "Connection refused" in email.last_error
    assert due_emails() == []


def test_a_retry_succeeds_once_the_transport_is_back(queued, transport_down, settings, mailoutbox):
    with time_machine.travel(T0, tick=False):
        email = queued()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        assert retry_due_emails.call_local() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 2)
    assert len(mailoutbox) == 1


def test_only_one_sender_claims_a_row_until_its_lease_runs_out(db):
    with time_machine.travel(T0, tick=False):
        email = queue_email(to=["rita@example.test"], subject="x", body_text="y", reason="test")
        assert claim(email.pk) is not None
        assert claim(email.pk) is None
        assert deliver(email.pk) is False
        assert due_emails() == []
    with time_machine.travel(T0 + LEASE, tick=False):
        # The first sender crashed: the row comes due again.
        assert due_emails() == [email.pk]
        assert deliver(email.pk) is True


def test_sent_emails_are_not_sent_again(queued, mailoutbox):
    email = queued()
    assert deliver(email.pk) is False
    assert retry_due_emails.call_local() == 0
    assert len(mailoutbox) == 1
