"""Priorities and statuses in the Django admin: configuration, editable by administrators."""

from django.contrib import admin

from helpline.catalog.models import Priority, TicketStatus


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["name", "urgency", "color", "is_default"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "urgency" in form.changed_data:
            obj.apply_urgency_to_tickets()


@admin.register(TicketStatus)
class TicketStatusAdmin(admin.ModelAdmin):
    """A status's state is fixed while tickets hold the status (see ``TicketStatus.clean``)."""

    list_display = ["name", "state", "is_default", "sort"]
    list_filter = ["state"]
    search_fields = ["name"]
