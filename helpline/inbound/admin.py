"""Inbound email in the Django admin. Mailboxes are configured in Helpline's administration area, where their
password is set; here they are listed. Raw messages are history: read-only."""

from django.contrib import admin

from helpline.core.admin import ReadOnlyAdminMixin
from helpline.inbound.models import BannedAddress, FetchedUid, Mailbox, RawMessage


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "department", "protocol", "is_active", "last_success_at"]
    list_filter = ["protocol", "is_active"]
    search_fields = ["name", "address"]
    exclude = ["password_encrypted"]
    readonly_fields = ["last_fetch_at", "last_success_at", "last_error", "next_fetch_at"]


@admin.register(RawMessage)
class RawMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["received_at", "source", "mailbox", "sender", "subject", "status", "outcome"]
    list_filter = ["status", "source"]
    search_fields = ["=message_id", "sender", "subject"]
    show_full_result_count = False
    exclude = ["data"]


@admin.register(BannedAddress)
class BannedAddressAdmin(admin.ModelAdmin):
    list_display = ["pattern", "reason", "created_at"]
    search_fields = ["pattern"]


@admin.register(FetchedUid)
class FetchedUidAdmin(admin.ModelAdmin):
    """What POP3 mailboxes fetched and left on their servers. Only deleted here: the message is then
    fetched again at the next fetch (and stored once: received before, it is recognized)."""

    list_display = ["uid", "mailbox", "fetched_at"]
    list_filter = ["mailbox"]
    list_select_related = ["mailbox"]
    search_fields = ["=uid"]
    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
