"""Finding the requester behind an email address, creating the contact the first time."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower

from helpline.core.prepared import PreparedQuery
from helpline.core.prepared_inserts import PreparedInsert
from helpline.core.text import one_line
from helpline.people.models import Requester, RequesterAddress

# A new requester with every ticket from someone new: the INSERT compiled once (core.prepared_inserts).
REQUESTERS = PreparedInsert(Requester)


def normalize_email(email: str) -> str:
    email = (email or "").strip()
    validate_email(email)
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


@dataclass(frozen=True)
class Contact:
    """Someone as a door knows them: an email address, and the name and phone they gave (from a form, an
    email's From, an API call). Not yet checked; ``find_or_create_requester`` checks it."""

    email: str
    name: str = ""
    phone: str = ""


def find_or_create_requester(contact: Contact) -> Requester:
    """The requester with this address (case-insensitive); created, named from the contact, if new.
    Raises ValidationError for an address that is not one.

    An existing requester's name and phone are never overwritten by what an anonymous form says.
    """
    email = normalize_email(contact.email)
    existing = _first_by_email(email)
    if existing is not None:
        return existing
    requester = new_requester(contact, email)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives a lost race
            REQUESTERS.insert(requester)
            return requester
    except IntegrityError:
        # The same address (in any letter case) was created by a concurrent request a moment ago.
        winner = _first_by_email(email)
        if winner is None:
            raise
        return winner


def new_requester(contact: Contact, email: str) -> Requester:
    """The requester a contact makes (not saved): ``email`` checked and normalized, the name and phone as
    one line each, the name the address's local part when the contact gives none."""
    name = one_line(contact.name, 200) or email.split("@")[0]
    if not name:
        raise ValidationError("A name is required.")
    return Requester(email=email, name=name, phone=one_line(contact.phone, 40))


def _first_by_email(email: str) -> Requester | None:
    return _BY_EMAIL.first(email.strip().lower())


def requesters_by_email(email: str) -> QuerySet[Requester]:
    """Requesters with this address in any letter case, as their own or as an extra address (a merged
    requester's), both found through their indexes on ``Lower("email")``."""
    address = email.strip().lower()
    own = Requester.objects.annotate(address=Lower("email")).filter(address=address).values("pk")
    extra = RequesterAddress.objects.annotate(address=Lower("email")).filter(address=address)
    # One subquery of a union: each side reads its own index, where an OR of the two would scan the table.
    return Requester.objects.filter(pk__in=own.union(extra.values("requester_id")))


def address_taken(email: str, *, besides: int | None = None) -> bool:
    """Is the address (any letter case) some requester's, their own or an extra one, other than the
    requester ``besides``?"""
    found = requesters_by_email(email)
    return (found.exclude(pk=besides) if besides is not None else found).exists()


# Every ticket that arrives looks its requester up: compiled once (core.prepared).
_BY_EMAIL = PreparedQuery(lambda address: requesters_by_email(address).order_by("pk")[:1], kinds=(str,))
