"""The audit log in the Django admin: browsed and filtered, never edited."""

from django.contrib import admin

from helpline.audit.models import AuditEntry
from helpline.core.admin import ReadOnlyAdminMixin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "target_repr", "address"]
    list_filter = ["action", "actor_kind"]
    search_fields = ["=target_id", "target_repr", "actor_name"]
    date_hierarchy = "at"
    show_full_result_count = False
    readonly_fields = [field.name for field in AuditEntry._meta.fields]
