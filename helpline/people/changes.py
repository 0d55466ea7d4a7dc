"""Changes to requesters and organizations as the administration area and the API make them, each in one
transaction with its audit record (what it was and what it became, for the fields that changed)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from helpline.audit.log import record
from helpline.people.actors import Actor
from helpline.people.models import Organization, Requester

REQUESTER_FIELDS = ("name", "email", "phone", "organization")


def requester_values(requester: Requester) -> dict[str, Any]:
    """The requester's details as the audit log keeps them (the organization by name)."""
    values: dict[str, Any] = {name: getattr(requester, name) for name in REQUESTER_FIELDS[:3]}
    organization = requester.organization if requester.organization_id else None
    return values | {"organization": organization.name if organization else None}


def save_requester(*, actor: Actor, requester: Requester) -> bool:
    """Create the requester, or save the form's values on it. Returns whether anything changed (an unchanged
    save records nothing). Raises ValidationError when the address became another requester's meanwhile."""
    creating = requester.pk is None
    with transaction.atomic():
        before = {} if creating else requester_values(Requester.objects.get(pk=requester.pk))
        after = requester_values(requester)
        changed = [name for name in REQUESTER_FIELDS if before.get(name) != after[name]]
        if not creating and not changed:
            return False
        try:
            with transaction.atomic():
                requester.save()
        except IntegrityError as error:
            raise ValidationError({"email": "Another requester has this address."}) from error
        record(
            actor=actor,
            action="requester.created" if creating else "requester.changed",
            target_type="requester",
            target_id=requester.pk,
            target_repr=str(requester),
            data=_difference(before, after, changed, creating),
        )
    return True


def save_organization(*, actor: Actor, organization: Organization) -> bool:
    """Create the organization or rename it. Returns whether anything changed."""
    creating = organization.pk is None
    with transaction.atomic():
        before = None if creating else Organization.objects.get(pk=organization.pk).name
        if before == organization.name:
            return False
        try:
            with transaction.atomic():
                organization.save()
        except IntegrityError as error:
            raise ValidationError({"name": "An organization has this name already."}) from error
        record(
            actor=actor,
            action="organization.created" if creating else "organization.changed",
            target_type="organization",
            target_id=organization.pk,
            target_repr=organization.name,
            data={"after": {"name": organization.name}}
            if creating
            else {"before": {"name": before}, "after": {"name": organization.name}},
        )
    return True


def _difference(before: dict, after: dict, changed: list[str], creating: bool) -> dict[str, Any]:
    if creating:
        return {"after": after}
    return {
        "before": {name: before[name] for name in changed},
        "after": {name: after[name] for name in changed},
    }
