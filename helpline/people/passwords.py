"""The breached-password check: pwned-passwords-django's validator, asking the range endpoint named by
``HELPLINE_PWNED_PASSWORDS_URL``.

Only the first five hex digits of the password's SHA-1 leave the server (the k-anonymity range API). When the
endpoint cannot be reached, answers an error or is not configured, the library falls back to Django's
``CommonPasswordValidator`` (a list drawn from the same breaches), so a password is never accepted unchecked.
"""

from django.conf import settings
from pwned_passwords_django.api import PwnedPasswords
from pwned_passwords_django.validators import PwnedPasswordsValidator


class RangeClient(PwnedPasswords):
    """The library's client, pointed at the configured endpoint rather than its fixed one (so a mirror, or
    a local listener in tests, can answer)."""

    @property  # a class attribute in the library, read from the settings on each request here
    def api_endpoint(self) -> str:
        return settings.HELPLINE_PWNED_PASSWORDS_URL


class BreachedPasswordValidator(PwnedPasswordsValidator):
    def __init__(self) -> None:
        super().__init__(
            error_message=(
                "This password has appeared in a data breach, so attackers try it: choose another.",
                "This password has appeared in data breaches %(amount)d times, so attackers try it: "
                "choose another.",
            ),
            api_client=RangeClient(),
        )

    def validate(self, password: str, user=None) -> None:
        if not settings.HELPLINE_PWNED_PASSWORDS_URL:
            self.fallback_validator.validate(password, user)
            return
        super().validate(password, user)
