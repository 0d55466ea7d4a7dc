"""Mailbox passwords, encrypted at rest with a key of their own.

The key is ``HELPLINE_MAILBOX_KEY`` when set (a Fernet key, e.g. from a secret store), else derived from
``SECRET_KEY`` with HKDF, so that a database dump alone does not reveal the passwords. Changing the key makes
stored passwords unreadable: they must then be entered again.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

INFO = b"helpline mailbox passwords"


def _fernet() -> Fernet:
    configured = getattr(settings, "HELPLINE_MAILBOX_KEY", "")
    if configured:
        return Fernet(configured.encode())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt_password(password: str) -> str:
    return _fernet().encrypt(password.encode()).decode() if password else ""


def decrypt_password(token: str) -> str:
    """The password, or raises ``UnreadablePassword`` when it was stored under another key."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise UnreadablePassword(
            "The stored password cannot be read with the current key: enter it again."
        ) from error


class UnreadablePassword(Exception):
    pass
