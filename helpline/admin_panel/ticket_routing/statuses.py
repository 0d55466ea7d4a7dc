"""Ticket statuses: the named statuses on each fixed state, in order, with each state's default; the form
that creates and renames one (or moves it to another state while no ticket holds it)."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.sections import SECTIONS
from helpline.admin_panel.ticket_routing.changes import (
    Conflict,
    make_default_status,
    move_status,
    save_status,
    status_in_use_by_topics,
)
from helpline.admin_panel.ticket_routing.ordering import move_one_place
from helpline.catalog.models import State, TicketStatus

SECTION = "statuses"


class StatusForm(forms.ModelForm):
    make_default = forms.BooleanField(
        label="Make it the default of its state",
        required=False,
        help_text="Tickets entering the state get this status. The state's present default stops being it.",
    )

    class Meta:
        model = TicketStatus
        fields = ["name", "state"]
        help_texts = {
            "name": "What agents and requesters see, e.g. “In progress”.",
            "state": "What the status means for queues, the SLA clock and who may reply. Fixed once "
            "tickets have the status.",
        }
        error_messages = {"name": {"unique": "Another status already has this name."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields[
                "make_default"
            ]  # the list's "Make default" button does it for a status that exists

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if TicketStatus.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another status already has this name.")
        return name

    def clean_state(self) -> str:
        state, stored = self.cleaned_data["state"], self.instance
        if stored.pk is None or state == stored.state:
            return state
        if stored.is_default:
            raise forms.ValidationError(
                f"This is the default status of the {stored.get_state_display().lower()} state: make another "
                "status its default first."
            )
        topics = status_in_use_by_topics(stored) if state != State.OPEN else []
        if topics:
            raise forms.ValidationError(
                "New tickets of these help topics start with this status, so it stays on the open state: "
                + ", ".join(topics)
            )
        return state


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": SECTION, "sections": SECTIONS}, status=status)


@require_GET
@administrator_required
def status_list(request: AdministratorRequest) -> HttpResponse:
    by_state: dict[str, list[TicketStatus]] = {state: [] for state in State.values}
    for status in TicketStatus.objects.order_by("sort", "name"):
        by_state[status.state].append(status)
    groups = [(State(state).label, statuses) for state, statuses in by_state.items()]
    return page(request, "admin_panel/statuses.html", {"groups": groups})


@require_http_methods(["GET", "POST"])
@administrator_required
def status_new(request: AdministratorRequest) -> HttpResponse:
    return _status_form(request, TicketStatus(state=State.OPEN))


@require_http_methods(["GET", "POST"])
@administrator_required
def status_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _status_form(request, get_object_or_404(TicketStatus, pk=pk))


def _status_form(request: AdministratorRequest, status: TicketStatus) -> HttpResponse:
    creating = status.pk is None
    context = {"status_pk": status.pk, "status_name": status.name}
    if request.method != "POST":
        return page(request, "admin_panel/status_form.html", context | {"form": StatusForm(instance=status)})
    form = StatusForm(request.POST, instance=status)
    if form.is_valid():
        try:
            changed = save_status(
                actor=request.agent,
                status=form.instance,
                make_default=form.cleaned_data.get("make_default", False),
            )
        except Conflict:
            form.add_error("name", "Another status with this name was saved at the same moment.")
        else:
            done = "created" if creating else "saved" if changed else "unchanged: nothing to save"
            messages.success(request, f"Status “{form.instance.name}” {done}.")
            return redirect("admin_panel:statuses")
    return page(request, "admin_panel/status_form.html", context | {"form": form}, status=400)


@require_POST
@administrator_required
def status_move(request: AdministratorRequest, pk: int) -> HttpResponse:
    return move_one_place(
        request,
        lambda step: move_status(actor=request.agent, status_id=pk, step=step),
        missing=TicketStatus.DoesNotExist,
        noun="status",
        at_end="The status is at that end of its state's list already.",
        back="admin_panel:statuses",
    )


@require_POST
@administrator_required
def status_make_default(request: AdministratorRequest, pk: int) -> HttpResponse:
    try:
        made = make_default_status(actor=request.agent, status_id=pk)
    except TicketStatus.DoesNotExist as missing:
        raise Http404("No such status") from missing
    status = TicketStatus.objects.get(pk=pk)
    if made:
        messages.success(
            request,
            f"Tickets entering the {status.get_state_display().lower()} state get “{status.name}” from now on.",
        )
    else:
        messages.info(request, f"“{status.name}” is its state's default already.")
    return redirect("admin_panel:statuses")
