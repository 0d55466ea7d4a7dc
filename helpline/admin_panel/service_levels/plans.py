"""SLA plans: the list, and the page that creates or edits one with its per-priority targets and escalation
steps, and previews the due times a ticket opened at a chosen moment would get (a GET: it changes nothing)."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.sections import SECTIONS
from helpline.admin_panel.service_levels.changes import Conflict, save_plan
from helpline.admin_panel.service_levels.plan_forms import PlanEditor, PreviewForm
from helpline.sla.hours import NoOpenTime
from helpline.sla.models import SLAPlan
from helpline.sla.preview import Preview, plan_zone, preview_plan, read_start

CONFLICT = (
    "Another SLA plan of that name was saved at the same moment: nothing was saved. Choose another name."
)


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": "sla_plans", "sections": SECTIONS}, status=status)


@require_GET
@administrator_required
def plan_list(request: AdministratorRequest) -> HttpResponse:
    plans = SLAPlan.objects.select_related("schedule").annotate(
        target_count=Count("targets", distinct=True), step_count=Count("escalation_steps", distinct=True)
    )
    return page(request, "admin_panel/sla_plans.html", {"plans": plans})


@require_http_methods(["GET", "POST"])
@administrator_required
def plan_new(request: AdministratorRequest) -> HttpResponse:
    return _plan_form(request, SLAPlan())


@require_http_methods(["GET", "POST"])
@administrator_required
def plan_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _plan_form(request, get_object_or_404(SLAPlan.objects.select_related("schedule"), pk=pk))


def _plan_form(request: AdministratorRequest, plan: SLAPlan) -> HttpResponse:
    creating = plan.pk is None
    context = {"plan_pk": plan.pk, "plan_name": plan.name}
    if request.method != "POST":
        preview_status = _preview_context(request, plan) if plan.pk else {}
        status = 400 if preview_status.get("preview_error") else 200
        context |= preview_status | {"editor": PlanEditor(plan)}
        return page(request, "admin_panel/sla_plan_form.html", context, status=status)
    editor = PlanEditor(plan, request.POST)
    if editor.is_valid():
        try:
            changed = save_plan(actor=request.agent, editor=editor)
        except Conflict:
            editor.form.add_error(None, CONFLICT)
        else:
            done = "created" if creating else "saved" if changed else "unchanged: nothing to save"
            messages.success(request, f"SLA plan “{editor.form.instance.name}” {done}.")
            return redirect("admin_panel:sla_plan_edit", pk=editor.form.instance.pk)
    context |= {"editor": editor, "page_forms": editor.page_forms()}  # the error summary lists them all
    return page(request, "admin_panel/sla_plan_form.html", context, status=400)


def _preview_context(request: AdministratorRequest, plan: SLAPlan) -> dict:
    """The preview of the stored plan for the start and priority asked (default: now, the plan's own
    targets). A start that cannot be read is said on the form, and no preview is shown."""
    zone = plan_zone(plan)
    form = PreviewForm(request.GET or None, initial={"start": _local_input(timezone.now().astimezone(zone))})
    context: dict = {"preview_form": form, "preview_zone": str(zone)}
    if form.is_bound and not form.is_valid():
        return context | {"preview_error": True}
    data = form.cleaned_data if form.is_bound else {}
    try:
        start = read_start(data["start"], zone) if data.get("start") else timezone.now().astimezone(zone)
        preview: Preview = preview_plan(plan, start.replace(microsecond=0), data.get("priority"))
    except NoOpenTime as error:  # a ValueError too: caught first
        return context | {"preview_error": True, "preview_problem": str(error)}
    except ValueError as error:
        form.add_error("start", str(error))
        return context | {"preview_error": True}
    return context | {"preview": preview}


def _local_input(moment) -> str:
    """The value a datetime-local input shows: the wall-clock time, to the minute."""
    return moment.strftime("%Y-%m-%dT%H:%M")
