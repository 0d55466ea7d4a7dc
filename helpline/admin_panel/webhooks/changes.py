"""The changes an administrator makes to webhooks, each in one transaction with its audit record. The
records never hold a secret: only that it was replaced."""

from typing import Any

from django.db import transaction

from helpline.audit.log import record
from helpline.people.models import Agent
from helpline.webhooks.models import Delivery, Webhook
from helpline.webhooks.outbox import resend
from helpline.webhooks.signing import new_secret

SETTINGS = ["name", "url", "events", "is_active"]


def settings_of(hook: Webhook) -> dict[str, Any]:
    return {name: getattr(hook, name) for name in SETTINGS}


def _record(actor: Agent, action: str, hook: Webhook, data: dict[str, Any]) -> None:
    record(
        actor=actor, action=action, target_type="webhook", target_id=hook.pk, target_repr=hook.name, data=data
    )


def save_webhook(*, actor: Agent, hook: Webhook, active_shown: bool | None = None) -> bool:
    """Create ``hook`` (no pk) with a new secret, or save what the form put on it. Switching a hook back on
    clears the failures that switched it off. Returns whether anything changed.

    ``active_shown``: the ``is_active`` the administrator's form showed. When the hook's ``is_active`` still
    equals it, the administrator left the box alone, and the stored value is kept (a hook switched off for
    failing while the form was open stays off, its reason and count too); the instance then carries the
    stored value and failure fields, so the caller can tell the administrator. None applies it as given."""
    with transaction.atomic():
        if hook.pk is None:
            hook.secret = new_secret()
            hook.save()
            _record(actor, "webhook.created", hook, {"after": settings_of(hook)})
            return True
        stored = Webhook.objects.select_for_update().get(pk=hook.pk)
        if active_shown is not None and hook.is_active == active_shown:
            hook.is_active = stored.is_active
            hook.consecutive_failures = stored.consecutive_failures
            hook.disabled_reason, hook.disabled_at = stored.disabled_reason, stored.disabled_at
        before, after = settings_of(stored), settings_of(hook)
        changed = [key for key in after if after[key] != before[key]]
        if not changed:
            return False
        fields = list(SETTINGS)
        if hook.is_active and not stored.is_active:
            hook.consecutive_failures, hook.disabled_reason, hook.disabled_at = 0, "", None
            fields += ["consecutive_failures", "disabled_reason", "disabled_at"]
        hook.save(update_fields=fields)
        data = {
            "before": {key: before[key] for key in changed},
            "after": {key: after[key] for key in changed},
        }
        _record(actor, "webhook.changed", hook, data)
        return True


def rotate_secret(*, actor: Agent, hook_id: int) -> Webhook:
    """Replace the hook's secret; deliveries from now on are signed with the new one. Raises
    Webhook.DoesNotExist."""
    with transaction.atomic():
        hook = Webhook.objects.select_for_update().get(pk=hook_id)
        hook.secret = new_secret()
        hook.save(update_fields=["secret"])
        _record(actor, "webhook.secret_rotated", hook, {"secret_replaced": True})
    return hook


def resend_delivery(*, actor: Agent, hook_id: int, delivery_id: int) -> Delivery:
    """Send a delivery's body again, now, as a new delivery. Raises Delivery.DoesNotExist (also for a
    delivery of another hook)."""
    with transaction.atomic():
        delivery = Delivery.objects.select_related("webhook").get(pk=delivery_id, webhook_id=hook_id)
        copy = resend(delivery)
        _record(
            actor,
            "webhook.delivery_resent",
            delivery.webhook,
            {
                "delivery": delivery.pk,
                "new_delivery": copy.pk,
                "message_id": delivery.message_id,
                "event_type": delivery.event_type,
            },
        )
    return copy
