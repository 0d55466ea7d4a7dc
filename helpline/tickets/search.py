"""Finding tickets by what an agent has at hand: a ticket number or a requester's email address.

Both are exact, indexed lookups, so they answer at once at any table size. Full-text search of subjects and
threads comes behind this same function later.
"""

import re

from django.db.models import QuerySet

from helpline.people.actors import Actor
from helpline.people.requesters import requesters_by_email
from helpline.tickets.models import Ticket
from helpline.tickets.queries import visible_tickets

NUMBER = re.compile(r"#?\s*(\d{1,20})")


def search_tickets(actor: Actor, text: str) -> QuerySet[Ticket]:
    """Visible tickets whose number is ``text`` (a leading # allowed), or whose requester's email
    address is ``text`` (any letter case). Anything else finds nothing."""
    text = text.strip()
    tickets = visible_tickets(actor)
    number = NUMBER.fullmatch(text)
    if number:
        return tickets.filter(number=number.group(1))
    if "@" in text and len(text) <= 254:
        return tickets.filter(requester__in=requesters_by_email(text).values("pk"))
    return tickets.none()
