"""Schedules and SLA plans in the Django admin, to look at. They are edited in Helpline's administration
area, which checks a schedule and its spans and holidays together (one that is never open is refused), a plan
with its per-priority targets and escalation steps, and records each change in the audit log."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from helpline.core.admin import ReadOnlyAdminMixin
from helpline.sla.models import EscalationStep, Holiday, Schedule, ScheduleSpan, SLAPlan, SLATarget


class _SpanInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ScheduleSpan


class _HolidayInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Holiday


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "time_zone", "is_24x7", "country", "subdivision", "edit_link"]
    search_fields = ["name"]
    inlines = [_SpanInline, _HolidayInline]

    @admin.display(description="Edit")
    def edit_link(self, schedule: Schedule) -> str:
        url = reverse("admin_panel:schedule_edit", args=[schedule.pk])
        return format_html('<a href="{}">In the administration area</a>', url)


class _TargetInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SLATarget


class _StepInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EscalationStep


@admin.register(SLAPlan)
class SLAPlanAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "schedule",
        "first_response_target",
        "resolution_target",
        "is_active",
        "edit_link",
    ]
    list_filter = ["is_active"]
    list_select_related = ["schedule"]
    search_fields = ["name"]  # the help topics' plan field looks plans up by name
    inlines = [_TargetInline, _StepInline]

    @admin.display(description="Edit")
    def edit_link(self, plan: SLAPlan) -> str:
        url = reverse("admin_panel:sla_plan_edit", args=[plan.pk])
        return format_html('<a href="{}">In the administration area</a>', url)


for model in (ScheduleSpan, Holiday, SLATarget, EscalationStep):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))
