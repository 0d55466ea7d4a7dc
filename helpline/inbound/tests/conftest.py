"""Mailboxes on a real Dovecot (started once per test session), each test with a mail user of its own."""

import uuid
from io import StringIO

import pytest
from django.core.management import call_command

from helpline.inbound.models import Mailbox
from helpline.inbound.secrets import encrypt_password
from helpline.testsupport.dovecot import HOST, dovecot  # noqa: F401 - the session's server, for these tests

LISTENER = {
    ("imap", "ssl"): "imaps",
    ("imap", "starttls"): "imap",
    ("imap", "none"): "imap",
    ("pop3", "ssl"): "pop3s",
    ("pop3", "starttls"): "pop3",
    ("pop3", "none"): "pop3",
}


def email(
    subject: str = "Printer on fire", *, sender: str = "rita@example.test", body: str = "It is."
) -> bytes:
    """A message with a Message-ID of its own."""
    return (
        f"From: {sender}\r\nTo: support@example.test\r\nSubject: {subject}\r\n"
        f"Message-ID: <{uuid.uuid4().hex}@example.test>\r\n\r\n{body}\r\n"
    ).encode()


def mail_fetch(*args: str) -> list[str]:
    """Run ``manage.py mail_fetch`` and return its lines (a failure raises CommandError)."""
    out = StringIO()
    call_command("mail_fetch", *args, stdout=out, no_color=True)
    return out.getvalue().splitlines()


def seen(server, user, folder: str = "INBOX") -> list[tuple[bool, bytes]]:
    """The messages in the user's folder on the server, each with whether it is marked read."""
    return [(rb"\Seen" in flags, body) for flags, body in server.messages(user, folder)]


@pytest.fixture
def mail_ca(settings, dovecot):  # noqa: F811
    """Trust the authority that signed the test server's certificate (and nothing else)."""
    settings.HELPLINE_MAIL_CA_FILE = str(dovecot.ca_file)


@pytest.fixture
def mailbox_on(dovecot, support, mail_ca):  # noqa: F811
    """``mailbox_on(protocol, security, after_fetch, ...)`` -> (mailbox, mail user): a Support mailbox on
    the test server for a new user of its own, with the user's password unless another is given."""

    def make(protocol="imap", security="ssl", after_fetch="mark_read", *, user=None, password=None, **fields):
        user = user or dovecot.add_user()
        mailbox = Mailbox.objects.create(
            name=fields.pop("name", user.name),
            address=user.name,
            department=support,
            protocol=protocol,
            host=HOST,
            port=dovecot.port(LISTENER[protocol, security]),
            security=security,
            username=user.name,
            password_encrypted=encrypt_password(password or user.password),
            after_fetch=after_fetch,
            **fields,
        )
        return mailbox, user

    return make
