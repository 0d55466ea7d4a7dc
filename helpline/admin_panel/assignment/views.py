"""The assignment pages: departments' and teams' strategies on one page, the agents' availability and
limits on another (paged), and the form for one agent."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.assignment.changes import set_agent_availability, set_assignment_strategy
from helpline.admin_panel.assignment.forms import AgentAvailabilityForm, StrategyForm
from helpline.admin_panel.sections import SECTIONS
from helpline.core.pagination import keyset_page
from helpline.people.models import Agent, AssignmentStrategy, Department, Team
from helpline.people.preferences import Availability
from helpline.tickets.workload import open_ticket_counts

AGENTS_PAGE_SIZE = 100


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": "assignment", "sections": SECTIONS}, status=status)


@require_GET
@administrator_required
def assignment(request: AdministratorRequest) -> HttpResponse:
    context = {
        "departments": list(Department.objects.all()),
        "teams": list(Team.objects.all()),
        "strategies": AssignmentStrategy.choices,
    }
    return page(request, "admin_panel/assignment.html", context)


def _set_strategy(
    request: AdministratorRequest, model: type[Department] | type[Team], pk: int
) -> HttpResponse:
    form = StrategyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the strategies offered.")
        return redirect("admin_panel:assignment")
    strategy = AssignmentStrategy(form.cleaned_data["assignment_strategy"])
    try:
        changed = set_assignment_strategy(actor=request.agent, model=model, pk=pk, strategy=strategy)
    except model.DoesNotExist as missing:
        raise Http404 from missing
    name = model.objects.values_list("name", flat=True).get(pk=pk)
    if changed is None:
        messages.info(request, f"{name} assigns by “{strategy.label}” already.")
    else:
        messages.success(request, f"{name} now assigns by “{strategy.label}”.")
    return redirect("admin_panel:assignment")


@require_POST
@administrator_required
def department_strategy(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _set_strategy(request, Department, pk)


@require_POST
@administrator_required
def team_strategy(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _set_strategy(request, Team, pk)


@dataclass(frozen=True)
class AgentRow:
    agent: Agent
    today: str  # "Available", "Away", "On vacation", "Inactive"
    open_tickets: int


def today_of(agent: Agent, day: date) -> str:
    if not agent.is_active:
        return "Inactive"
    if agent.is_away:
        return "Away"
    return "On vacation" if agent.on_vacation(day) else "Available"


@require_GET
@administrator_required
def agent_list(request: AdministratorRequest) -> HttpResponse:
    result = keyset_page(
        Agent.objects.select_related("user"),
        field="user__username",
        descending=False,
        cursor=request.GET.get("after"),
        size=AGENTS_PAGE_SIZE,
    )
    counts = open_ticket_counts(agent.pk for agent in result.rows)
    day = timezone.localdate()
    rows = [AgentRow(agent, today_of(agent, day), counts.get(agent.pk, 0)) for agent in result.rows]
    next_url = f"{request.path}?{urlencode({'after': result.next_cursor})}" if result.next_cursor else ""
    return page(request, "admin_panel/agent_availability_list.html", {"rows": rows, "next_url": next_url})


@require_http_methods(["GET", "POST"])
@administrator_required
def agent_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    agent = get_object_or_404(Agent.objects.select_related("user"), pk=pk)
    context = {"subject": agent, "open_tickets": open_ticket_counts([agent.pk]).get(agent.pk, 0)}
    if request.method != "POST":
        initial = AgentAvailabilityForm.initial_of(Availability.of(agent))
        form = AgentAvailabilityForm(initial=initial | {"open_ticket_limit": agent.open_ticket_limit})
        return page(request, "admin_panel/agent_availability.html", context | {"form": form})
    form = AgentAvailabilityForm(request.POST)
    if form.is_valid():
        try:
            changed = set_agent_availability(
                actor=request.agent,
                agent_id=agent.pk,
                availability=form.availability(),
                limit=form.cleaned_data["open_ticket_limit"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = "saved" if changed else "unchanged: nothing to save"
            messages.success(request, f"Availability of {agent.display_name} {done}.")
            return redirect("admin_panel:agent_availability")
    return page(request, "admin_panel/agent_availability.html", context | {"form": form}, status=400)
