"""A mailbox that fails (wrong password, a server that is down or silent, a certificate not to trust, a
message too large) records why on itself and holds up no other mailbox."""

import socket
from datetime import timedelta

import pytest
from django.core.management import CommandError
from django.utils import timezone

from helpline.inbound.models import Mailbox, RawMessage
from helpline.inbound.tests.conftest import email, mail_fetch, seen
from helpline.testsupport.dovecot import HOST

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.now() - timedelta(days=1)


@pytest.fixture
def stopped_port():
    """A port where no server runs: bound, so that nothing else takes it meanwhile, but not listening."""
    with socket.socket() as holder:
        holder.bind((HOST, 0))
        yield holder.getsockname()[1]


def test_a_wrong_password_and_a_stopped_server_leave_the_other_mailboxes_working(
    mailbox_on, dovecot, stopped_port
):
    working, user = mailbox_on("imap", "ssl", name="Working")
    wrong, _ = mailbox_on("imap", "ssl", name="Wrong password", password="not-the-password")
    stopped, _ = mailbox_on("pop3", "ssl", name="Stopped")
    Mailbox.objects.filter(pk__in=[wrong.pk, stopped.pk]).update(last_success_at=YESTERDAY)
    Mailbox.objects.filter(pk=stopped.pk).update(port=stopped_port)
    dovecot.deliver(user, email())

    assert mail_fetch() == [  # in name order; not every mailbox failed, so the command succeeds
        f"Stopped: failed: Could not connect to {HOST}:{stopped_port}: Connection refused",
        "Working: fetched 1, stored 1",
        f"Wrong password: failed: Authentication failed for {wrong.username}: "
        "[AUTHENTICATIONFAILED] Authentication failed.",
    ]
    assert RawMessage.objects.get().mailbox == working
    for failed in (wrong, stopped):
        failed.refresh_from_db()
        assert failed.last_success_at == YESTERDAY and failed.last_fetch_at > YESTERDAY
        assert failed.next_fetch_at == failed.last_fetch_at + timedelta(minutes=5)
    assert wrong.last_error.startswith("Authentication failed")
    assert stopped.last_error == f"Could not connect to {HOST}:{stopped_port}: Connection refused"
    working.refresh_from_db()
    assert working.last_error == "" and working.last_success_at == working.last_fetch_at

    with pytest.raises(CommandError, match="“Wrong password” could not be fetched"):
        mail_fetch("--mailbox", "Wrong password")
    Mailbox.objects.filter(pk__in=[working.pk, wrong.pk]).update(is_active=False)
    with pytest.raises(CommandError, match="No mailbox could be fetched"):
        mail_fetch()


def test_a_server_that_does_not_answer_times_out(mailbox_on, settings):
    settings.HELPLINE_MAIL_TIMEOUT = 0.2
    mailbox, _ = mailbox_on("imap", "ssl", name="Silent")
    with socket.create_server((HOST, 0)) as silent:  # accepts connections (the backlog), never speaks
        Mailbox.objects.filter(pk=mailbox.pk).update(port=silent.getsockname()[1])
        with pytest.raises(CommandError):
            mail_fetch("--mailbox", "Silent")
    mailbox.refresh_from_db()
    assert mailbox.last_error.endswith("no answer within 0.2 seconds")


@pytest.mark.parametrize(
    ("protocol", "security"), [("imap", "ssl"), ("imap", "starttls"), ("pop3", "ssl"), ("pop3", "starttls")]
)
def test_a_certificate_from_an_authority_not_trusted_is_refused(
    mailbox_on, dovecot, settings, protocol, security
):
    mailbox, user = mailbox_on(protocol, security, name="Support")
    message = email()
    dovecot.deliver(user, message)
    where = f"{HOST}:{mailbox.port}"

    for untrusted in (str(dovecot.other_ca_file), ""):  # another authority; the system's authorities
        settings.HELPLINE_MAIL_CA_FILE = untrusted
        with pytest.raises(CommandError):
            mail_fetch()
        mailbox.refresh_from_db()
        assert (
            mailbox.last_error == f"Certificate not trusted ({where}): unable to get local issuer certificate"
        )
    assert not RawMessage.objects.exists()
    assert seen(dovecot, user) == [(False, message)]


def test_a_certificate_for_another_host_is_refused(mailbox_on):
    mailbox, _ = mailbox_on("imap", "ssl", name="Support")
    Mailbox.objects.filter(pk=mailbox.pk).update(host="localhost")  # the certificate names 127.0.0.1 only
    with pytest.raises(CommandError):
        mail_fetch()
    mailbox.refresh_from_db()
    assert mailbox.last_error.startswith("Certificate not valid for localhost: Hostname mismatch")


@pytest.mark.parametrize(("protocol", "security"), [("imap", "ssl"), ("pop3", "ssl")])
def test_a_message_over_the_size_limit_is_left_on_the_server_and_named(
    mailbox_on, dovecot, settings, protocol, security
):
    settings.HELPLINE_MAX_EMAIL_BYTES = 2000
    mailbox, user = mailbox_on(protocol, security, "mark_read", name="Support")
    small = email("Small")
    large = email("Scan of the invoice", sender="bob@example.test", body="x" * 3000)
    dovecot.deliver(user, large, small)

    assert mail_fetch() == ["Support: fetched 1, stored 1, 1 left on the server (too large)"]
    assert mail_fetch() == ["Support: fetched 0, stored 0, 1 left on the server (too large)"]  # again
    assert stored_bodies() == [small]
    mailbox.refresh_from_db()
    assert mailbox.last_error == (
        "1 message left on the server, larger than the 2,000 bytes accepted: "
        f"from bob@example.test, “Scan of the invoice”, {len(large):,} bytes"
    )
    assert mailbox.last_success_at == mailbox.last_fetch_at
    assert seen(dovecot, user)[0] == (False, large)


def stored_bodies() -> list[bytes]:
    return [bytes(raw.data) for raw in RawMessage.objects.order_by("id")]
