"""The changes an administrator makes to roles, each in one transaction with its audit record."""

from typing import Any

from django.db import IntegrityError, transaction

from helpline.admin_panel.email_channel.changes import Conflict, Refused
from helpline.admin_panel.ticket_routing.changes import difference
from helpline.audit.log import record
from helpline.people.models import Agent, Membership, Role

__all__ = ["Conflict", "Refused"]


def settings_of(role: Role) -> dict[str, Any]:
    return {"name": role.name, "permissions": sorted(role.permissions)}


def _record(actor: Agent, action: str, role: Role, data: dict[str, Any]) -> None:
    record(
        actor=actor, action=action, target_type="role", target_id=role.pk, target_repr=role.name, data=data
    )


def save_role(*, actor: Agent, role: Role) -> bool:
    """Create ``role`` (no pk) or save its name and permissions; agents holding it get the new permissions
    on their next request. Returns whether anything changed. Raises Conflict on a name taken meanwhile."""
    after = settings_of(role)
    try:
        with transaction.atomic():
            if role.pk is None:
                role.save()
                _record(actor, "role.created", role, {"after": after})
                return True
            change = difference(settings_of(Role.objects.select_for_update().get(pk=role.pk)), after)
            if not change["after"]:
                return False
            role.save(update_fields=["name", "permissions"])
            _record(actor, "role.changed", role, change)
            return True
    except IntegrityError as error:
        raise Conflict(str(error)) from error


def delete_role(*, actor: Agent, role_id: int) -> str:
    """Delete a role nobody holds; returns its name. Raises Refused while an agent holds it in a department
    (their permissions would silently vanish), DoesNotExist."""
    with transaction.atomic():
        role = Role.objects.select_for_update().get(pk=role_id)
        held = Membership.objects.filter(role=role).count()
        if held:
            raise Refused(f"{held} membership(s) give this role: give those agents another role first.")
        before = settings_of(role)
        _record(actor, "role.deleted", role, {"before": before})
        role.delete()
    return before["name"]
