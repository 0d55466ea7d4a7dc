"""Ticket numbers: random digits, so one number tells nothing about the next."""

import secrets

from django.conf import settings

DEFAULT_DIGITS = 8


def new_ticket_number() -> str:
    digits = getattr(settings, "HELPLINE_TICKET_NUMBER_DIGITS", DEFAULT_DIGITS)
    # The first digit is never 0, so numbers keep their width wherever they are typed or sorted.
    return str(secrets.randbelow(9) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(digits - 1))
