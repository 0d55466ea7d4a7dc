"""The audit log: who did what to the desk's records, when and from where. Rows are only ever added."""

from django.db import models

# What the log records, and how a person reads it. Every ``action`` written is one of these.
ACTIONS = {
    "ticket.deleted": "Ticket deleted",
    "mailbox.created": "Mailbox created",
    "mailbox.changed": "Mailbox changed",
    "mailbox.deactivated": "Mailbox deactivated",
    "banned_address.added": "Banned sender added",
    "banned_address.removed": "Banned sender removed",
    "raw_message.discarded": "Received message discarded",
    "raw_message.retried": "Received message processed again",
    "bouncing_address.released": "Bouncing address sent to again",
    "notification_template.changed": "Notification email changed",
    "notification_template.reset": "Notification email reset to the shipped text",
    "department.assignment_changed": "Department's assignment changed",
    "team.assignment_changed": "Team's assignment changed",
    "agent.availability_changed": "Agent's availability changed",
    "schedule.created": "Schedule created",
    "schedule.changed": "Schedule changed",
    "sla_plan.created": "SLA plan created",
    "sla_plan.changed": "SLA plan changed",
    "help_topic.created": "Help topic created",
    "help_topic.changed": "Help topic changed",
    "help_topic.deactivated": "Help topic deactivated",
    "ticket_status.created": "Ticket status created",
    "ticket_status.changed": "Ticket status changed",
    "ticket_status.moved": "Ticket status moved",
    "ticket_status.made_default": "Ticket status made its state's default",
    "filter_rule.created": "Filter rule created",
    "filter_rule.changed": "Filter rule changed",
    "filter_rule.moved": "Filter rule moved",
    "filter_rule.deactivated": "Filter rule deactivated",
    "canned_response.created": "Canned response created",
    "canned_response.changed": "Canned response changed",
    "canned_response.deactivated": "Canned response deactivated",
    "webhook.created": "Webhook created",
    "webhook.changed": "Webhook changed",
    "webhook.secret_rotated": "Webhook's secret replaced",
    "webhook.delivery_resent": "Webhook delivery re-sent",
    "webhook.switched_off": "Webhook switched off after failing",
    "requester.created": "Requester created",
    "requester.changed": "Requester changed",
    "requester.merged": "Requesters merged",
    "requesters.imported": "Requesters imported",
    "organization.created": "Organization created",
    "organization.changed": "Organization changed",
    "second_factor.enabled": "Two-factor sign-in turned on",
    "second_factor.disabled": "Two-factor sign-in turned off",
    "second_factor.reset": "Agent's second factor reset",
    "second_factor.recovery_code_used": "Recovery code used to sign in",
    "second_factor.recovery_codes_renewed": "Recovery codes renewed",
    "sign_in_policy.changed": "Sign-in security changed",
    "api_key.created": "API key created",
    "api_key.revoked": "API key revoked",
    "department.created": "Department created",
    "department.changed": "Department changed",
    "department.deactivated": "Department deactivated",
    "team.created": "Team created",
    "team.changed": "Team changed",
    "team.deactivated": "Team deactivated",
    "agent.invited": "Agent invited",
    "agent.joined": "Agent set up their account",
    "agent.changed": "Agent changed",
    "agent.deactivated": "Agent deactivated",
    "agent.reactivated": "Agent reactivated",
    "role.created": "Role created",
    "role.changed": "Role changed",
    "role.deleted": "Role deleted",
    "priority.created": "Priority created",
    "priority.changed": "Priority changed",
    "desk_settings.changed": "Desk settings changed",
    "choice_list.created": "Choice list created",
    "choice_list.changed": "Choice list changed",
    "custom_form.created": "Custom form created",
    "custom_form.changed": "Custom form changed",
    "custom_field.created": "Custom field created",
    "custom_field.changed": "Custom field changed",
}


def action_choices() -> list[tuple[str, str]]:
    """The choices of ``AuditEntry.action``. A callable, so that the migrations name it rather than copy
    the list: a new action is a line in ``ACTIONS`` and no migration."""
    return list(ACTIONS.items())


class AuditEntry(models.Model):
    """One recorded act. It names its target by type, id and description only (no foreign key), so it
    outlives what it describes: the record of a deleted ticket stays."""

    at = models.DateTimeField()
    actor_kind = models.CharField(max_length=20)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=200)
    actor_channel = models.CharField(max_length=20, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True, help_text="Where the request came from.")
    action = models.CharField(max_length=60, choices=action_choices)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=60)
    target_repr = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_at"),
            models.Index(fields=["action", "-at", "-id"], name="audit_action_at"),
            models.Index(fields=["target_id", "-at", "-id"], name="audit_target_at"),
        ]
        verbose_name_plural = "audit log"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.action} {self.target_repr}"
