"""The departments' canned responses: the list, the form that creates and edits one (text, variables,
files, active), deactivation. Each change is on the audit log (``tickets.canned.changes``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.sections import SECTIONS
from helpline.tickets.canned.changes import deactivate_response, save_response
from helpline.tickets.canned.forms import DepartmentCannedResponseForm
from helpline.tickets.canned.variables import VARIABLES
from helpline.tickets.models import CannedResponse

SECTION = "canned_responses"


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": SECTION, "sections": SECTIONS}, status=status)


@require_GET
@administrator_required
def response_list(request: AdministratorRequest) -> HttpResponse:
    responses = (
        CannedResponse.objects.filter(department__isnull=False)
        .select_related("department")
        .order_by("department__name", "title", "pk")
    )
    return page(request, "admin_panel/canned_responses.html", {"responses": list(responses)})


@require_http_methods(["GET", "POST"])
@administrator_required
def response_new(request: AdministratorRequest) -> HttpResponse:
    return _form(request, CannedResponse())


@require_http_methods(["GET", "POST"])
@administrator_required
def response_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(CannedResponse.objects.filter(department__isnull=False), pk=pk)
    return _form(request, response)


def _form(request: AdministratorRequest, response: CannedResponse) -> HttpResponse:
    creating = response.pk is None
    context = {"response_pk": response.pk, "response_title": response.title, "active": response.is_active}
    context["variables"] = VARIABLES
    if request.method != "POST":
        form = DepartmentCannedResponseForm(instance=response)
        return page(request, "admin_panel/canned_response_form.html", context | {"form": form})
    form = DepartmentCannedResponseForm(request.POST, request.FILES, instance=response)
    if form.is_valid():
        try:
            changed = save_response(
                actor=request.agent,
                response=form.instance,
                uploads=form.cleaned_data["attachments"],
                remove=form.removed_ids(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = "created" if creating else "saved" if changed else "unchanged: nothing to save"
            messages.success(request, f"Canned response “{form.instance.title}” {done}.")
            return redirect("admin_panel:canned_responses")
    return page(request, "admin_panel/canned_response_form.html", context | {"form": form}, status=400)


@require_POST
@administrator_required
def response_deactivate(request: AdministratorRequest, pk: int) -> HttpResponse:
    if not CannedResponse.objects.filter(pk=pk, department__isnull=False).exists():
        raise Http404("No such canned response")
    deactivated = deactivate_response(actor=request.agent, response_id=pk)
    title = CannedResponse.objects.values_list("title", flat=True).get(pk=pk)
    if deactivated:
        messages.success(request, f"Canned response “{title}” deactivated: it is offered no more.")
    else:
        messages.info(request, f"Canned response “{title}” was inactive already.")
    return redirect("admin_panel:canned_responses")
