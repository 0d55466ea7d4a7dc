"""Delivery through a real SMTP server (aiosmtpd listening on a free local port)."""

from email import message_from_bytes, policy

from helpline.mail.models import OutboundEmail
from helpline.testsupport.smtpserver import free_port, smtp_mailers
from helpline.tickets.actions import post_reply


def test_a_reply_notification_arrives_over_smtp(
    ticket, sam, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = smtp_mailers(smtp_server.port)
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=ticket, body="Unplug it, then plug it back in.")
    [envelope] = smtp_server.handler.envelopes
    assert envelope.rcpt_tos == ["rita@example.test"]
    assert envelope.mail_from == "helpdesk@localhost"
    message = message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["To"] == "rita@example.test"
    assert message["Subject"] == f"Re: [#{ticket.number}] Printer on fire"
    assert message["X-Helpline-Ticket"] == ticket.number
    assert "Unplug it, then plug it back in." in message.get_body(("plain",)).get_content()
    row = OutboundEmail.objects.get(reason="response")
    assert row.status == OutboundEmail.Status.SENT


def test_a_refused_smtp_connection_is_kept_for_a_retry(
    ticket, sam, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = smtp_mailers(free_port())  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=ticket, body="Hello?")
    row = OutboundEmail.objects.get(reason="response")
    assert (row.status, row.attempts) == (OutboundEmail.Status.PENDING, 1)
    assert row.last_error.startswith("ConnectionRefusedError")
    assert row.next_attempt_at is not None
