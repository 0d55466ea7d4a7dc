"""An agent's own canned responses: the list, the form that creates and edits one, deactivation. The
departments' responses are kept in the administration area."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline.staff.views.base import AgentRequest, agent_required
from helpline.tickets.canned.changes import deactivate_response, save_response
from helpline.tickets.canned.forms import CannedResponseForm
from helpline.tickets.canned.variables import VARIABLES
from helpline.tickets.models import CannedResponse


@require_GET
@agent_required
def my_responses(request: AgentRequest) -> HttpResponse:
    responses = CannedResponse.objects.filter(owner=request.agent).order_by("-is_active", "title", "pk")
    return render(request, "staff/canned/list.html", {"responses": list(responses)})


@require_http_methods(["GET", "POST"])
@agent_required
def my_response_new(request: AgentRequest) -> HttpResponse:
    return _form(request, CannedResponse(owner=request.agent))


@require_http_methods(["GET", "POST"])
@agent_required
def my_response_edit(request: AgentRequest, pk: int) -> HttpResponse:
    # Another agent's response, or a department's, is not found here.
    return _form(request, get_object_or_404(CannedResponse, pk=pk, owner=request.agent))


def _form(request: AgentRequest, response: CannedResponse) -> HttpResponse:
    creating = response.pk is None
    context = {
        "response_pk": response.pk,
        "response_title": response.title,
        "active": response.is_active,
        "variables": VARIABLES,
    }
    if request.method != "POST":
        return render(
            request, "staff/canned/form.html", context | {"form": CannedResponseForm(instance=response)}
        )
    form = CannedResponseForm(request.POST, request.FILES, instance=response)
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
            return redirect("staff:my_responses")
    return render(request, "staff/canned/form.html", context | {"form": form}, status=400)


@require_POST
@agent_required
def my_response_deactivate(request: AgentRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(CannedResponse, pk=pk, owner=request.agent)
    if deactivate_response(actor=request.agent, response_id=response.pk):
        messages.success(request, f"Canned response “{response.title}” deactivated.")
    else:
        messages.info(request, f"Canned response “{response.title}” was inactive already.")
    return redirect("staff:my_responses")
