"""Ticket numbers: random digits, so one number tells nothing about the next."""

import secrets

from helpline.core.desk import desk


def new_ticket_number() -> str:
    digits = desk().ticket_number_digits  # 6 to 20, checked by the settings and the administration form
    # The first digit is never 0, so numbers keep their width wherever they are typed or sorted.
    return str(secrets.randbelow(9) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(digits - 1))
