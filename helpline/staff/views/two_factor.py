"""The second sign-in step, and setting up an authenticator app (TOTP) with its recovery codes.

The middleware (``security.middleware``) sends a session that owes a code here, and one that must set a
second factor up to the set-up; these pages refuse a session that has only passed its password from setting
up a new factor (that would bypass the one it has).
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST

from helpline.security import second_factor
from helpline.staff.security_forms import AppCodeForm, CodeForm
from helpline.staff.views.base import AgentRequest, agent_required


def _next(request: AgentRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/staff/"


def _state(request: AgentRequest) -> str | None:
    return request.session.get(second_factor.STATE_KEY)


@require_http_methods(["GET", "POST"])
@agent_required
def two_factor_verify(request: AgentRequest) -> HttpResponse:
    if _state(request) != second_factor.CODE:
        return redirect(_next(request))
    credentials = {"username": request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return get_lockout_response(request, credentials)
    form = CodeForm(request.POST or None)
    next_url = _next(request)
    context = {"form": form, "next": next_url}
    if request.method != "POST":
        return render(request, "staff/two_factor/verify.html", context)
    device = second_factor.check_code(request.agent, form.data.get("code", "")) if form.is_valid() else None
    if device is None:
        # django-axes counts the failure with the wrong passwords of this username and address.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return get_lockout_response(request, credentials)
        form.add_error("code", "That code is not right, or was used already. Try the code the app shows now.")
        return render(request, "staff/two_factor/verify.html", context, status=400)
    second_factor.complete_sign_in(request, device)
    return redirect(next_url)


def _refuse_code_pending(request: AgentRequest) -> HttpResponse | None:
    if _state(request) == second_factor.CODE:
        return redirect("staff:two_factor_verify")
    return None


@require_http_methods(["GET"])
@agent_required
def two_factor_setup(request: AgentRequest) -> HttpResponse:
    if (refusal := _refuse_code_pending(request)) is not None:
        return refusal
    device = second_factor.pending_enrolment(request.agent.user)
    context = {
        "device": device,
        "required": _state(request) == second_factor.SETUP,
        "has_factor": second_factor.has_second_factor(request.agent.user),
        "next": _next(request),
    }
    if device is not None:
        context |= {
            "qr": second_factor.qr_data_uri(device),
            "secret": second_factor.secret_text(device),
            "form": AppCodeForm(),
        }
    return render(request, "staff/two_factor/setup.html", context)


@require_POST
@agent_required
def two_factor_start(request: AgentRequest) -> HttpResponse:
    if (refusal := _refuse_code_pending(request)) is not None:
        return refusal
    second_factor.start_enrolment(request.agent.user)
    return redirect(f"{reverse('staff:two_factor_setup')}?{urlencode({'next': _next(request)})}")


@require_POST
@agent_required
def two_factor_confirm(request: AgentRequest) -> HttpResponse:
    if (refusal := _refuse_code_pending(request)) is not None:
        return refusal
    device = second_factor.pending_enrolment(request.agent.user)
    if device is None:
        return redirect("staff:two_factor_setup")
    form = AppCodeForm(request.POST)
    codes = second_factor.confirm_enrolment(request, request.agent, device, form.data.get("code", ""))
    if codes is None:
        form.is_valid()
        form.add_error("code", "That code is not right. Type the six digits the app shows now.")
        context = {
            "device": device,
            "qr": second_factor.qr_data_uri(device),
            "secret": second_factor.secret_text(device),
            "form": form,
            "next": _next(request),
        }
        return render(request, "staff/two_factor/setup.html", context, status=400)
    return render(
        request, "staff/two_factor/recovery_codes.html", {"codes": codes, "next": _next(request), "new": True}
    )


@require_POST
@agent_required
def recovery_codes_renew(request: AgentRequest) -> HttpResponse:
    if not second_factor.has_second_factor(request.agent.user):
        return redirect("staff:account_security")
    codes = second_factor.regenerate_recovery_codes(request.agent)
    return render(
        request,
        "staff/two_factor/recovery_codes.html",
        {"codes": codes, "next": reverse("staff:account_security"), "new": False},
    )
