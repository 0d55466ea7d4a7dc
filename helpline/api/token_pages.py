"""The agent's personal API tokens, beside their preferences: made (the credential shown once), listed with
their last use, revoked. A token acts as the agent, with exactly their permissions."""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from helpline.api.keys import issue_token, revoke
from helpline.api.models import PersonalToken
from helpline.core.timefmt import activate_zone
from helpline.people.models import Agent

MAX_TOKENS = 20


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What you use it for (a script, a laptop).")


def _agent_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        agent: Agent | None = getattr(request.user, "agent", None)
        if agent is None or not agent.is_active:
            return render(
                request, "staff/403.html", {"reason": "This page is for Helpline agents."}, status=403
            )
        activate_zone(agent.time_zone)
        return view(request, agent, *args, **kwargs)

    return wrapper


def _page(request: HttpRequest, agent: Agent, form: TokenForm, status: int = 200, **extra) -> HttpResponse:
    tokens = PersonalToken.objects.filter(agent=agent, revoked_at__isnull=True).order_by("-created_at")
    context = {"form": form, "tokens": tokens[:MAX_TOKENS], "max_tokens": MAX_TOKENS, **extra}
    return render(request, "api/tokens.html", context, status=status)


@require_GET
@_agent_only
def token_list(request: HttpRequest, agent: Agent) -> HttpResponse:
    return _page(request, agent, TokenForm())


@never_cache
@require_POST
@_agent_only
def token_new(request: HttpRequest, agent: Agent) -> HttpResponse:
    form = TokenForm(request.POST)
    live = PersonalToken.objects.filter(agent=agent, revoked_at__isnull=True).count()
    if live >= MAX_TOKENS:
        form.add_error(None, f"You have {MAX_TOKENS} tokens: revoke one you no longer use first.")
    if not form.is_valid():
        return _page(request, agent, form, status=400)
    token, raw = issue_token(agent, form.cleaned_data["name"])
    # Answered here, not redirected: the credential is on this one page and nowhere else.
    return _page(request, agent, TokenForm(), status=201, new_token=token, raw_token=raw)


@require_POST
@_agent_only
def token_revoke(request: HttpRequest, agent: Agent, pk: int) -> HttpResponse:
    token = PersonalToken.objects.filter(agent=agent, pk=pk).first()
    if token is None or token.revoked_at is not None:
        messages.info(request, "That token was revoked already.")
    else:
        revoke(token)
        messages.success(request, f"Token “{token.name}” is revoked.")
    return redirect("api_tokens:list")


app_name = "api_tokens"
urlpatterns = [
    path("", token_list, name="list"),
    path("new/", token_new, name="new"),
    path("<int:pk>/revoke/", token_revoke, name="revoke"),
]
