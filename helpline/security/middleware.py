"""Enforce what sign-in decided, on every request of a signed-in user: a session past its idle or absolute
lifetime is signed out; one that owes its second factor reaches only the code step (or the set-up, when a
second factor is required and missing) and signing out. The checks read the session alone: no query,
except the once-a-minute "last seen"."""

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from helpline.security import second_factor, sessions

# The pages a session that owes its second factor may still open (the staff panel's sign-in pages, named
# here rather than imported: the staff panel sits above this module).
OPEN_WHILE_PENDING = {
    "staff:login",
    "staff:logout",
    "staff:two_factor_verify",
    "staff:two_factor_setup",
    "staff:two_factor_start",
    "staff:two_factor_confirm",
}
EXPIRED_MESSAGES = {
    "idle": "You were signed out after a time without activity. Sign in again to go on.",
    "absolute": "Your session reached its longest lifetime. Sign in again to go on.",
}


class SignInSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        now = time.time()
        reason = sessions.expired(request, now)
        if reason is not None:
            logout(request)
            messages.info(request, EXPIRED_MESSAGES[reason])
            return redirect_to_login(request.get_full_path())
        sessions.touch(request, now)
        state = request.session.get(second_factor.STATE_KEY)
        if state is None:  # a session signed in before second factors were kept: decide once
            state = request.session[second_factor.STATE_KEY] = second_factor.state_at_sign_in(request.user)
        if state in (second_factor.NONE, second_factor.VERIFIED):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_WHILE_PENDING:
            return None
        target = "staff:two_factor_verify" if state == second_factor.CODE else "staff:two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
