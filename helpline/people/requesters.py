"""Finding the requester behind an email address, creating the contact the first time."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from helpline.core.text import one_line
from helpline.people.models import Requester


def normalize_email(email: str) -> str:
    email = (email or "").strip()
    validate_email(email)
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def find_or_create_requester(*, email: str, name: str = "", phone: str = "") -> Requester:
    """The requester with this address (case-insensitive); created, named from ``name``, if new.

    An existing requester's name and phone are never overwritten by what an anonymous form says.
    """
    email = normalize_email(email)
    existing = Requester.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing
    name = one_line(name, 200) or email.split("@")[0]
    if not name:
        raise ValidationError("A name is required.")
    requester, _ = Requester.objects.get_or_create(
        email=email, defaults={"name": name, "phone": one_line(phone, 40)}
    )
    return requester
