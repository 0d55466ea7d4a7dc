"""SLA plans in the Django admin."""

from django.contrib import admin

from helpline.sla.models import SLAPlan


@admin.register(SLAPlan)
class SLAPlanAdmin(admin.ModelAdmin):
    list_display = ["name", "grace_hours", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
