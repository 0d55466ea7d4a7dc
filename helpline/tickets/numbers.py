"""Ticket numbers: random digits, so one number tells nothing about the next."""

import secrets

from django.conf import settings


def new_ticket_number() -> str:
    digits = settings.HELPLINE_TICKET_NUMBER_DIGITS  # 6 to 20, checked by the settings
    # The first digit is never 0, so numbers keep their width wherever they are typed or sorted.
    return str(secrets.randbelow(9) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(digits - 1))
