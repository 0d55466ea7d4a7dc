"""Raw messages are stored first, once each, and bounded in size; mailbox passwords are stored encrypted."""

import pytest
from django.test import override_settings

from helpline.inbound.models import Mailbox, RawMessage
from helpline.inbound.secrets import UnreadablePassword, decrypt_password, encrypt_password
from helpline.inbound.store import TooLarge, store_raw

MESSAGE = b"From: Rita <rita@example.test>\r\nTo: support@example.test\r\nMessage-ID: <abc@example.test>\r\nSubject: Hi\r\n\r\nBody\r\n"


def test_a_message_is_stored_once_by_its_message_id(db):
    first, new = store_raw(MESSAGE, source=RawMessage.Source.PIPE, mailbox=None)
    again, new_again = store_raw(
        MESSAGE.replace(b"Body", b"Body, fetched again"), source="imap", mailbox=None
    )
    assert (new, new_again, again.pk) == (True, False, first.pk)
    assert (
        bytes(first.data) == MESSAGE
        and first.message_id == "<abc@example.test>"
        and first.size == len(MESSAGE)
    )
    assert RawMessage.objects.count() == 1


def test_a_message_without_message_id_is_stored_once_by_its_bytes(db):
    bare = b"From: rita@example.test\r\nSubject: no id\r\n\r\nBody\r\n"
    assert store_raw(bare, source="pipe", mailbox=None)[1] is True
    assert store_raw(bare, source="pipe", mailbox=None)[1] is False
    assert store_raw(bare + b"more", source="pipe", mailbox=None)[1] is True
    assert RawMessage.objects.filter(message_id="").count() == 2


def test_a_message_over_the_limit_is_refused_before_it_is_stored(db, settings):
    settings.HELPLINE_MAX_EMAIL_BYTES = 100
    with pytest.raises(TooLarge, match="at most 100"):
        store_raw(MESSAGE, source="pipe", mailbox=None)
    assert not RawMessage.objects.exists()


def test_passwords_are_encrypted_and_need_the_key(db, support):
    token = encrypt_password("s3cret")
    assert "s3cret" not in token and decrypt_password(token) == "s3cret"
    Mailbox.objects.create(
        name="Support", address="support@example.test", department=support, password_encrypted=token
    )
    other_key = override_settings(SECRET_KEY="another-secret-key-another-secret-key-another-secret-key")
    with other_key, pytest.raises(UnreadablePassword):
        decrypt_password(token)
    with override_settings(HELPLINE_MAILBOX_KEY="0" * 43 + "="), pytest.raises(UnreadablePassword):
        decrypt_password(token)
