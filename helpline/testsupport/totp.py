"""What an authenticator app shows: the TOTP codes of a secret as a setup page shows it (base32, maybe spaced)."""

import time
from base64 import b32decode

from django_otp.oath import TOTP

STEP = 30  # seconds, django-otp's default and every app's


class AuthenticatorApp:
    """An app holding one secret. Each code it gives is for a later time step than the one before, as a
    person who has just used a code waits for the next: the server takes each step once, and after taking a
    code of the step before its clock's it counts the app as one step behind (django-otp's drift sync), so
    "the next step's code" must count from the last code used, not from the clock."""

    def __init__(self, secret: str) -> None:
        self._key = b32decode(secret.replace(" ", ""))
        self._last_step: int | None = None

    def code(self) -> str:
        step = int(time.time()) // STEP
        if self._last_step is not None and step <= self._last_step:
            step = self._last_step + 1
        self._last_step = step
        totp = TOTP(self._key, step=STEP)
        totp.time = step * STEP
        return f"{totp.token():06d}"
