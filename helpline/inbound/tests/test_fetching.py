"""``manage.py mail_fetch`` against a real Dovecot: every message stored once, and each after-fetch action
done on the server only once the message is stored, over IMAP and POP3, with and without TLS."""

from datetime import timedelta

import pytest
from django.core.management import CommandError

from helpline.inbound.models import FetchedUid, RawMessage
from helpline.inbound.tests.conftest import email, mail_fetch, seen

pytestmark = pytest.mark.django_db


def stored() -> list[bytes]:
    return [bytes(raw.data) for raw in RawMessage.objects.order_by("id")]


def test_imap_stores_each_message_once_and_marks_it_read(mailbox_on, dovecot):
    mailbox, user = mailbox_on("imap", "ssl", "mark_read", name="Support")
    first, second = email("Printer on fire"), email("VPN down")
    dovecot.deliver(user, first, second)

    assert mail_fetch() == ["Support: fetched 2, stored 2"]
    assert stored() == [first, second]
    assert {raw.source for raw in RawMessage.objects.all()} == {"imap"}
    assert all(raw.mailbox == mailbox for raw in RawMessage.objects.all())
    assert seen(dovecot, user) == [(True, first), (True, second)]
    mailbox.refresh_from_db()
    assert mailbox.last_error == "" and mailbox.last_success_at == mailbox.last_fetch_at
    assert mailbox.next_fetch_at == mailbox.last_fetch_at + timedelta(minutes=mailbox.fetch_every_minutes)

    assert mail_fetch() == ["Support: fetched 0, stored 0"]  # read messages are done with
    dovecot.deliver(user, first)  # the same message again, unread: fetched, not stored twice
    assert mail_fetch() == ["Support: fetched 1, stored 0"]
    assert stored() == [first, second]


def test_imap_deletes_what_it_stored_over_starttls(mailbox_on, dovecot):
    mailbox, user = mailbox_on("imap", "starttls", "delete", name="Support")
    messages = [email("One"), email("Two")]
    dovecot.deliver(user, *messages)

    assert mail_fetch() == ["Support: fetched 2, stored 2"]
    assert stored() == messages
    assert dovecot.messages(user) == []  # flagged \Deleted and expunged


def test_imap_moves_what_it_stored_to_a_folder_it_creates(mailbox_on, dovecot):
    # A password beyond ASCII (signed in with SASL PLAIN), a folder name beyond ASCII (modified UTF-7).
    user = dovecot.add_user("pässwörd-€")
    mailbox, _ = mailbox_on("imap", "none", "move", user=user, name="Support", move_to="Done Ä")
    message = email()
    dovecot.deliver(user, message)

    assert mail_fetch() == ["Support: fetched 1, stored 1"]
    assert stored() == [message]
    assert dovecot.messages(user) == []
    assert [body for flags, body in dovecot.messages(user, '"Done &AMQ-"')] == [message]


def test_imap_moves_by_copy_and_expunge_where_the_server_has_no_move(mailbox_on, dovecot):
    user = dovecot.add_user(capability="IMAP4rev1")  # announces neither MOVE nor UIDPLUS
    mailbox, _ = mailbox_on("imap", "ssl", "move", user=user, name="Support", move_to="Archive")
    message = email()
    dovecot.deliver(user, message)
    dovecot.deliver(user, folder="Archive")

    assert mail_fetch() == ["Support: fetched 1, stored 1"]
    assert dovecot.messages(user) == []
    assert [(rb"\Deleted" in flags, body) for flags, body in dovecot.messages(user, "Archive")] == [
        (False, message)
    ]


def test_a_failed_move_leaves_the_stored_message_unread_until_the_next_fetch_moves_it(mailbox_on, dovecot):
    mailbox, user = mailbox_on("imap", "ssl", "move", name="Support", move_to="~Archive")
    message = email()
    dovecot.deliver(user, message)

    with pytest.raises(CommandError, match="“Support” could not be fetched"):
        mail_fetch("--mailbox", "Support")
    mailbox.refresh_from_db()
    assert mailbox.last_error.startswith("Could not move a message to the folder “~Archive”: [CANNOT]")
    assert stored() == [message]  # stored first, and left as it was: not even marked read
    assert seen(dovecot, user) == [(False, message)]

    mailbox.move_to = "Archive"
    mailbox.save(update_fields=["move_to"])
    assert mail_fetch() == ["Support: fetched 1, stored 0"]
    assert dovecot.messages(user) == [] and len(dovecot.messages(user, "Archive")) == 1
    assert stored() == [message]


def test_pop3_deletes_what_it_stored(mailbox_on, dovecot):
    mailbox, user = mailbox_on("pop3", "ssl", "delete", name="Support")
    long_line = email("Wide", body="x" * 5000)  # poplib alone refuses lines over 2,048 bytes
    messages = [email("One"), long_line]
    dovecot.deliver(user, *messages)

    assert mail_fetch() == ["Support: fetched 2, stored 2"]
    assert stored() == messages
    assert {raw.source for raw in RawMessage.objects.all()} == {"pop3"}
    assert dovecot.messages(user) == []


def test_pop3_leaves_messages_on_the_server_and_fetches_each_once(mailbox_on, dovecot):
    mailbox, user = mailbox_on("pop3", "starttls", "mark_read", name="Support")
    first, second, third = email("One"), email("Two"), email("Three")
    dovecot.deliver(user, first, second)

    assert mail_fetch() == ["Support: fetched 2, stored 2"]
    assert [body for flags, body in dovecot.messages(user)] == [first, second]
    dovecot.deliver(user, third)
    assert mail_fetch() == ["Support: fetched 1, stored 1"]  # the others skipped by their UIDL
    assert mail_fetch() == ["Support: fetched 0, stored 0"]
    assert stored() == [first, second, third]
    assert FetchedUid.objects.filter(mailbox=mailbox).count() == 3

    session = dovecot.imap(user)  # someone deletes one from the server: its id is forgotten
    session.select("INBOX")
    session.store("1", "+FLAGS", r"(\Deleted)")
    session.expunge()
    session.logout()
    assert mail_fetch() == ["Support: fetched 0, stored 0"]
    assert FetchedUid.objects.filter(mailbox=mailbox).count() == 2


def test_a_full_batch_comes_due_again_at_once(mailbox_on, dovecot, settings):
    settings.HELPLINE_MAIL_FETCH_LIMIT = 2
    mailbox, user = mailbox_on("imap", "ssl", "delete", name="Support")
    dovecot.deliver(user, email("One"), email("Two"), email("Three"))

    assert mail_fetch() == ["Support: fetched 2, stored 2"]
    mailbox.refresh_from_db()
    assert mailbox.next_fetch_at == mailbox.last_fetch_at  # more waiting
    assert mail_fetch() == ["Support: fetched 1, stored 1"]
    mailbox.refresh_from_db()
    assert mailbox.next_fetch_at == mailbox.last_fetch_at + timedelta(minutes=5)
    assert RawMessage.objects.count() == 3
