"""Schedules: the list, and the page that creates or edits one with its spans and holidays."""

from datetime import date
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.sections import SECTIONS
from helpline.admin_panel.service_levels.changes import Conflict, save_schedule
from helpline.admin_panel.service_levels.schedule_forms import ScheduleEditor
from helpline.sla.hours import public_holidays
from helpline.sla.models import Schedule, ScheduleSpan

CONFLICT = (
    "Another schedule of that name was saved at the same moment: nothing was saved. Choose another name."
)


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": "schedules", "sections": SECTIONS}, status=status)


@require_GET
@administrator_required
def schedule_list(request: AdministratorRequest) -> HttpResponse:
    schedules = Schedule.objects.annotate(
        holiday_count=Count("holidays", distinct=True), plan_count=Count("plans", distinct=True)
    ).prefetch_related(Prefetch("spans", queryset=ScheduleSpan.objects.order_by("weekday", "start")))
    return page(request, "admin_panel/schedules.html", {"schedules": schedules})


@require_http_methods(["GET", "POST"])
@administrator_required
def schedule_new(request: AdministratorRequest) -> HttpResponse:
    return _schedule_form(request, Schedule())


@require_http_methods(["GET", "POST"])
@administrator_required
def schedule_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _schedule_form(request, get_object_or_404(Schedule, pk=pk))


def _schedule_form(request: AdministratorRequest, schedule: Schedule) -> HttpResponse:
    creating = schedule.pk is None
    context = {
        "schedule_pk": schedule.pk,
        "schedule_name": schedule.name,
        "public_holidays": _coming_public_holidays(schedule),
    }
    if request.method != "POST":
        return page(request, "admin_panel/schedule_form.html", context | {"editor": ScheduleEditor(schedule)})
    editor = ScheduleEditor(schedule, request.POST)
    if editor.is_valid():
        try:
            changed = save_schedule(actor=request.agent, editor=editor)
        except Conflict:
            editor.form.add_error(None, CONFLICT)
        else:
            done = "created" if creating else "saved" if changed else "unchanged: nothing to save"
            messages.success(request, f"Schedule “{editor.form.instance.name}” {done}.")
            return redirect("admin_panel:schedules")
    context |= {"editor": editor, "page_forms": editor.page_forms()}  # the error summary lists them all
    return page(request, "admin_panel/schedule_form.html", context, status=400)


def _coming_public_holidays(schedule: Schedule) -> list[tuple[date, str]]:
    """The stored schedule's country holidays over the next year, so the administrator sees what they close."""
    if not schedule.country:
        return []
    today = timezone.now().astimezone(ZoneInfo(schedule.time_zone)).date()
    return public_holidays(schedule.country, schedule.subdivision, today, 365)
