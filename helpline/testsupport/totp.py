"""What an authenticator app shows: the TOTP code of a secret as a setup page shows it (base32, maybe spaced)."""

import time
from base64 import b32decode

from django_otp.oath import TOTP


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """The code for now (a code is taken once: the next step's, ``steps_ahead=1``, is also valid)."""
    totp = TOTP(b32decode(secret.replace(" ", "")), drift=steps_ahead)
    totp.time = time.time()
    return f"{totp.token():06d}"
