"""Switching off a hook that keeps failing, and telling the administrators.

After HELPLINE_WEBHOOK_FAILURES_TO_DISABLE deliveries in a row gave up, the hook stops being sent anything:
a receiver that is gone would otherwise be tried for every event, forever. The reason stays on the hook
(its page and the list show it), the audit log records the switch, and every administrator gets an email
through the outbox. Ticking "Active" again on the hook's page switches it back on.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from helpline.audit.log import record
from helpline.mail.outbox import Keyed, deliver_after_commit, queue_keyed_emails
from helpline.people.actors import Channel, ChannelActor
from helpline.people.models import Agent
from helpline.webhooks.models import Delivery, Webhook

# The deliveries themselves, as the audit log names who switched a hook off.
DELIVERIES = ChannelActor(Channel.AUTOMATION, "Webhook deliveries")


def failed_delivery(hook: Webhook, delivery: Delivery) -> bool:
    """Called with the hook locked, after a delivery gave up and was counted; switches the hook off when
    that made too many in a row. Returns whether it did."""
    limit = settings.HELPLINE_WEBHOOK_FAILURES_TO_DISABLE
    if not hook.is_active or limit <= 0 or hook.consecutive_failures < limit:
        return False
    hook.is_active = False
    hook.disabled_at = timezone.now()
    hook.disabled_reason = (
        f"Switched off after {hook.consecutive_failures} deliveries in a row failed; the last one "
        f"({delivery.event_type}, {delivery.message_id}): {delivery.last_error}"
    )[:2000]
    hook.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    record(
        actor=DELIVERIES,
        action="webhook.switched_off",
        target_type="webhook",
        target_id=hook.pk,
        target_repr=hook.name,
        data={"before": {"is_active": True}, "after": {"is_active": False}, "reason": hook.disabled_reason},
    )
    _tell_administrators(hook)
    return True


def _tell_administrators(hook: Webhook) -> None:
    administrators = Agent.objects.filter(
        Q(is_admin=True) | Q(user__is_superuser=True), user__is_active=True
    ).select_related("user")
    url = settings.SITE_URL + reverse("admin_panel:webhook_edit", args=[hook.pk])
    body = (
        f"The webhook “{hook.name}” ({hook.url}) was switched off.\n\n{hook.disabled_reason}\n\n"
        f"Once the receiver works again, switch the hook back on (and re-send what it missed) here:\n{url}\n"
    )
    stamp = int(hook.disabled_at.timestamp()) if hook.disabled_at else 0
    ids = queue_keyed_emails(
        [
            Keyed(
                key=f"webhook-off:{hook.pk}:{stamp}:{agent.pk}",
                to=agent.email,
                subject=f"Webhook “{hook.name}” switched off",
                body_text=body,
                reason="webhook_switched_off",
            )
            for agent in administrators
            if agent.email
        ]
    )
    deliver_after_commit(ids)
