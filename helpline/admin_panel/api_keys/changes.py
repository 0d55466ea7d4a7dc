"""Issuing and revoking API keys from the administration area, each with its audit record. The record
names the key, its scopes, networks and expiry, never its secret."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from helpline.api.keys import issue_key
from helpline.api.models import ApiKey
from helpline.audit.log import record
from helpline.people.models import Agent


def settings_of(key: ApiKey) -> dict[str, Any]:
    return {
        "name": key.name,
        "scopes": key.scopes,
        "networks": key.networks,
        "expires_at": key.expires_at.isoformat() if key.expires_at else None,
        "prefix": key.prefix,
    }


def create_key(
    *, actor: Agent, name: str, scopes: list[str], networks: list[str], expires_at: datetime | None
) -> tuple[ApiKey, str]:
    """A new key and its credential (to show once). Raises InvalidKey."""
    with transaction.atomic():
        key, raw = issue_key(name, scopes, networks, expires_at, created_by=actor)
        record(
            actor=actor,
            action="api_key.created",
            target_type="api_key",
            target_id=key.pk,
            target_repr=key.name,
            data={"after": settings_of(key)},
        )
    return key, raw


def revoke_key(*, actor: Agent, key_id: int) -> ApiKey | None:
    """Revoke the key from now on. Returns it, or None when it was revoked already. Raises DoesNotExist."""
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key_id)
        if key.revoked_at is not None:
            return None
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        record(
            actor=actor,
            action="api_key.revoked",
            target_type="api_key",
            target_id=key.pk,
            target_repr=key.name,
            data=settings_of(key)
            | {"last_used_at": key.last_used_at.isoformat() if key.last_used_at else None},
        )
    return key
