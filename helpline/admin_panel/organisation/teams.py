"""Teams: the list, the form that creates and edits one (name, lead, members, active). A team is never
deleted: tickets assigned to it keep it; it is deactivated instead."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.organisation.changes import Conflict, save_team
from helpline.admin_panel.organisation.forms import TeamForm
from helpline.admin_panel.sections import SECTIONS
from helpline.people.models import Team

SECTION = "teams"


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": SECTION, "sections": SECTIONS}, status=status)


@require_GET
@administrator_required
def team_list(request: AdministratorRequest) -> HttpResponse:
    teams = Team.objects.select_related("lead__user").annotate(member_count=Count("members")).order_by("name")
    return page(request, "admin_panel/teams.html", {"teams": list(teams)})


@require_http_methods(["GET", "POST"])
@administrator_required
def team_new(request: AdministratorRequest) -> HttpResponse:
    return _form(request, Team())


@require_http_methods(["GET", "POST"])
@administrator_required
def team_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _form(request, get_object_or_404(Team, pk=pk))


def _form(request: AdministratorRequest, team: Team) -> HttpResponse:
    creating = team.pk is None
    context = {"team_pk": team.pk, "team_name": team.name}
    if request.method != "POST":
        return page(request, "admin_panel/team_form.html", context | {"form": TeamForm(instance=team)})
    form = TeamForm(request.POST, instance=team)
    if form.is_valid():
        try:
            changed = save_team(
                actor=request.agent, team=form.instance, members=list(form.cleaned_data["members"])
            )
        except Conflict:
            form.add_error("name", "Another team with this name was saved at the same moment.")
        else:
            done = "created" if creating else "saved" if changed else "unchanged: nothing to save"
            messages.success(request, f"Team “{form.instance.name}” {done}.")
            return redirect("admin_panel:teams")
    return page(request, "admin_panel/team_form.html", context | {"form": form}, status=400)
