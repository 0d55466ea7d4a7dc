"""The "Sign-in security" pages: the policy form, and the agents with whether each has a second factor."""

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.sections import SECTIONS
from helpline.admin_panel.sign_in_security.changes import reset_second_factor, set_sign_in_policy
from helpline.admin_panel.sign_in_security.forms import SignInPolicyForm
from helpline.core.pagination import keyset_page
from helpline.people.models import Agent, Membership
from helpline.security.models import SignInPolicy

AGENTS_PAGE_SIZE = 100


def _agents(request: AdministratorRequest, policy: SignInPolicy) -> dict:
    queryset = Agent.objects.select_related("user").annotate(
        has_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)),
        role_requires=Exists(
            Membership.objects.filter(agent=OuterRef("pk"), role__in=policy.required_roles.all())
        ),
    )
    result = keyset_page(
        queryset,
        field="user__username",
        descending=False,
        cursor=request.GET.get("after"),
        size=AGENTS_PAGE_SIZE,
    )
    next_url = f"{request.path}?{urlencode({'after': result.next_cursor})}" if result.next_cursor else ""
    return {"agents": result.rows, "next_url": next_url}


@require_http_methods(["GET", "POST"])
@administrator_required
def sign_in_security(request: AdministratorRequest) -> HttpResponse:
    policy = SignInPolicy.current()
    form = SignInPolicyForm(request.POST or None, instance=policy)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            changed = set_sign_in_policy(
                actor=request.agent,
                require_everyone=data["require_everyone"],
                roles=list(data["required_roles"]),
                idle_minutes=data["idle_minutes"],
                absolute_hours=data["absolute_hours"],
            )
            messages.success(request, "Sign-in security saved." if changed else "Nothing changed.")
            return redirect("admin_panel:sign_in_security")
        status = 400
        policy = SignInPolicy.current()  # the form's instance took the refused values
    context = {"form": form, "policy": policy, "section": "sign_in_security", "sections": SECTIONS}
    return render(
        request, "admin_panel/sign_in_security.html", context | _agents(request, policy), status=status
    )


@require_POST
@administrator_required
def second_factor_reset(request: AdministratorRequest, pk: int) -> HttpResponse:
    try:
        agent = reset_second_factor(actor=request.agent, agent_id=pk)
    except Agent.DoesNotExist as missing:
        raise Http404 from missing
    messages.success(
        request, f"{agent.display_name}'s second factor is reset and they are signed out everywhere."
    )
    return redirect("admin_panel:sign_in_security")
