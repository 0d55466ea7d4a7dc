"""Priorities and statuses in the Django admin. Priorities are edited here; statuses in Helpline's
administration area, which keeps each state's default and records each change in the audit log."""

from django.contrib import admin

from helpline.catalog.models import Priority, TicketStatus
from helpline.core.admin import ReadOnlyAdminMixin


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["name", "urgency", "color", "is_default"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "urgency" in form.changed_data:
            obj.apply_urgency_to_tickets()


@admin.register(TicketStatus)
class TicketStatusAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Statuses, to look at."""

    list_display = ["name", "state", "is_default", "sort"]
    list_filter = ["state"]
    search_fields = ["name"]
