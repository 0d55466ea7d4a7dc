"""The outbox in the Django admin: a record of what was promised to be sent, read-only, with a retry."""

from django.contrib import admin, messages
from django.utils import timezone

from helpline.core.admin import ReadOnlyAdminMixin
from helpline.mail.models import BouncingAddress, OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["subject", "recipients", "reason", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "reason"]
    search_fields = ["subject", "=ticket_id", "=message_id"]
    show_full_result_count = False
    actions = ["retry_now"]
    fields = [
        "to",
        "subject",
        "reason",
        "message_id",
        "from_email",
        "reply_to",
        "ticket_id",
        "entry_id",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "headers",
        "body_text",
        "body_html",
    ]

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("mail.change_outboundemail")

    @admin.display(description="To")
    def recipients(self, email: OutboundEmail) -> str:
        return ", ".join(email.to)

    @admin.action(description="Retry delivery now", permissions=["retry"])
    def retry_now(self, request, queryset) -> None:
        """Put unsent emails (pending, or failed after every retry) back in line and send them now."""
        from helpline.mail.outbox import deliver_after_commit

        ids = list(queryset.exclude(status=OutboundEmail.Status.SENT).values_list("pk", flat=True))
        OutboundEmail.objects.filter(pk__in=ids).update(
            status=OutboundEmail.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        deliver_after_commit(ids)
        self.message_user(request, f"{len(ids)} email(s) queued for delivery.", messages.SUCCESS)


@admin.register(BouncingAddress)
class BouncingAddressAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Released from a ticket's page in the staff panel, where it is shown on the requester."""

    list_display = ["address", "bounces", "last_bounce_at", "last_diagnostic", "held_since"]
    list_filter = ["held_since"]
    search_fields = ["address"]
