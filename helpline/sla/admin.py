"""SLA plans in the Django admin (read here; Helpline's administration area edits plans and schedules)."""

from django.contrib import admin

from helpline.sla.models import SLAPlan


@admin.register(SLAPlan)
class SLAPlanAdmin(admin.ModelAdmin):
    list_display = ["name", "schedule", "first_response_target", "resolution_target", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
