"""An agent's own sign-in security page: the second factor (set up, new recovery codes, turn off with a
code), and the sessions signed in as them (each one's device, address, sign-in and last request), with
signing out one of them or all."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from helpline.security import second_factor, sessions
from helpline.staff.security_forms import CodeForm
from helpline.staff.views.base import AgentRequest, agent_required


def _page(request: AgentRequest, disable_form: CodeForm | None = None, status: int = 200) -> HttpResponse:
    user = request.agent.user
    context = {
        "has_factor": second_factor.has_second_factor(user),
        "required": second_factor.must_have_second_factor(request.agent),
        "codes_left": second_factor.recovery_codes_left(user),
        "sessions": sessions.active_sessions(user),
        "current_key": request.session.session_key,
        "disable_form": disable_form or CodeForm(),
    }
    return render(request, "staff/account_security.html", context, status=status)


@require_GET
@agent_required
def account_security(request: AgentRequest) -> HttpResponse:
    return _page(request)


@require_POST
@agent_required
def two_factor_disable(request: AgentRequest) -> HttpResponse:
    if second_factor.must_have_second_factor(request.agent):
        messages.error(request, "Your account must have a second factor: you can set up a new app instead.")
        return redirect("staff:account_security")
    form = CodeForm(request.POST)
    if not form.is_valid() or second_factor.check_code(request.agent, form.cleaned_data["code"]) is None:
        form.add_error(
            "code", "That code is not right. Type the code your app shows now, or a recovery code."
        )
        return _page(request, disable_form=form, status=400)
    second_factor.disable(request, request.agent)
    messages.success(
        request,
        "Two-factor sign-in is off: signing in asks for your password only. Your other sessions are signed out.",
    )
    return redirect("staff:account_security")


@require_POST
@agent_required
def session_end(request: AgentRequest, pk: int) -> HttpResponse:
    current = request.session.session_key
    ended = sessions.end_session(request.agent.user, pk)
    if ended is not None and ended == current:
        logout(request)
        return redirect("staff:login")
    if ended is not None:
        messages.success(request, "That session is signed out.")
    return redirect("staff:account_security")


@require_POST
@agent_required
def sign_out_everywhere(request: AgentRequest) -> HttpResponse:
    sessions.end_all_sessions(request.agent.user)
    logout(request)
    messages.success(request, "You are signed out everywhere, here too.")
    return redirect("staff:login")
