"""Agents: the list (searched, paged by username), the invitation, the account form, deactivation and
reactivation. An agent is never deleted: their tickets and thread entries keep pointing at them."""

from django.contrib import messages
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.sections import SECTIONS
from helpline.admin_panel.staff_accounts.changes import (
    Conflict,
    Refused,
    invite_agent,
    resend_invitation,
    save_agent,
    set_agent_active,
)
from helpline.admin_panel.staff_accounts.forms import AccountForm, AgentSearchForm, InviteForm
from helpline.core.pagination import keyset_page
from helpline.people import invitations
from helpline.people.models import Agent, Membership

SECTION = "agents"
PAGE_SIZE = 100


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": SECTION, "sections": SECTIONS}, status=status)


def searched(data: dict) -> "Q":
    found = Q()
    for word in (data.get("q") or "").split()[:5]:
        found &= (
            Q(user__username__icontains=word)
            | Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
        )
    status = data.get("status")
    if status == "inactive":
        found &= Q(user__is_active=False)
    elif status != "all":
        found &= Q(user__is_active=True)
    return found


@require_GET
@administrator_required
def agent_list(request: AdministratorRequest) -> HttpResponse:
    form = AgentSearchForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    primary = Subquery(
        Membership.objects.filter(agent=OuterRef("pk"), is_primary=True).values("department__name")[:1]
    )
    result = keyset_page(
        Agent.objects.filter(searched(data)).select_related("user").annotate(primary_department_name=primary),
        field="user__username",
        descending=False,
        cursor=request.GET.get("after"),
        size=PAGE_SIZE,
    )
    query = {key: value for key, value in data.items() if value}
    next_url = (
        f"{request.path}?{urlencode(query | {'after': result.next_cursor})}" if result.next_cursor else ""
    )
    rows = [(agent, invitations.pending(agent)) for agent in result.rows]
    return page(request, "admin_panel/agents.html", {"form": form, "rows": rows, "next_url": next_url})


@require_http_methods(["GET", "POST"])
@administrator_required
def agent_invite(request: AdministratorRequest) -> HttpResponse:
    if request.method != "POST":
        return page(request, "admin_panel/agent_invite.html", {"form": InviteForm()})
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            agent = invite_agent(
                actor=request.agent, username=form.cleaned_data["username"], account=form.account()
            )
        except Conflict:
            form.add_error("username", "This username was taken at the same moment: choose another.")
        else:
            messages.success(
                request, f"{agent.display_name} is invited: the sign-up link went to {agent.email}."
            )
            return redirect("admin_panel:agent_edit", agent.pk)
    return page(request, "admin_panel/agent_invite.html", {"form": form}, status=400)


@require_http_methods(["GET", "POST"])
@administrator_required
def agent_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    agent = get_object_or_404(Agent.objects.select_related("user"), pk=pk)
    context = {"subject": agent, "pending": invitations.pending(agent)}
    if request.method != "POST":
        return page(request, "admin_panel/agent_form.html", context | {"form": AccountForm(agent=agent)})
    form = AccountForm(request.POST, agent=agent)
    if form.is_valid():
        try:
            changed = save_agent(actor=request.agent, agent_id=agent.pk, account=form.account())
        except Refused as refusal:
            form.add_error("is_admin", str(refusal))
        else:
            done = "saved" if changed else "unchanged: nothing to save"
            messages.success(request, f"Agent {agent.display_name} {done}.")
            return redirect("admin_panel:agents")
    return page(request, "admin_panel/agent_form.html", context | {"form": form}, status=400)


def _set_active(request: AdministratorRequest, pk: int, active: bool) -> HttpResponse:
    try:
        changed = set_agent_active(actor=request.agent, agent_id=pk, active=active)
    except Agent.DoesNotExist as missing:
        raise Http404("No such agent") from missing
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("admin_panel:agent_edit", pk)
    name = Agent.objects.select_related("user").get(pk=pk).display_name
    if not changed:
        messages.info(request, f"{name} was {'active' if active else 'deactivated'} already.")
    elif active:
        messages.success(request, f"{name} is active again: they may sign in and be assigned tickets.")
    else:
        messages.success(request, f"{name} is deactivated: they can no longer sign in; their tickets stay.")
    return redirect("admin_panel:agent_edit", pk)


@require_POST
@administrator_required
def agent_deactivate(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, False)


@require_POST
@administrator_required
def agent_reactivate(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, True)


@require_POST
@administrator_required
def agent_resend(request: AdministratorRequest, pk: int) -> HttpResponse:
    try:
        agent = resend_invitation(actor=request.agent, agent_id=pk)
    except Agent.DoesNotExist as missing:
        raise Http404("No such agent") from missing
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, f"A new sign-up link went to {agent.email}; the earlier one no longer works."
        )
    return redirect("admin_panel:agent_edit", pk)
