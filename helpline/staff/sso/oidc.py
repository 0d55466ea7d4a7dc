"""Signing agents in with OpenID Connect (the authorization code flow with PKCE, mozilla-django-oidc).

The library checks the state, the nonce and the ID token's signature; this module adds what it leaves out:
the token's issuer, audience and lifetime, that the user details belong to the token's subject, and that the
provider verified the email address. The address then names an existing, active agent, or nobody gets in.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from helpline.people.sign_on import agent_user_by_email
from helpline.staff.sso.refusal import refusal, refuse

logger = logging.getLogger(__name__)

UNVERIFIED = "The provider has not verified your email address, so it cannot name a Helpline agent."
NOT_SIGNED_IN = "The provider did not sign you in. Try again, or sign in with your password."
UNTRUSTED = "The provider's answer could not be trusted, so you were not signed in. Please try again."
UNREACHABLE = "The sign-in provider could not be reached. Try again later, or sign in with your password."
# Clocks of the provider and of Helpline may differ a little.
LEEWAY_SECONDS = 60


class AgentOIDCBackend(OIDCAuthenticationBackend):
    """Authenticates the provider's answer and maps it to an agent; tried by Django for every sign-in, it
    answers only the callback (the other sign-ins carry no code and state)."""

    def _verify_jws(self, payload, key):
        alg = jwt.get_unverified_header(payload).get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {alg!r}, not {self.OIDC_RP_SIGN_ALGO!r}")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.HELPLINE_OIDC_ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token for several audiences without this client as its azp")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        details = super().get_userinfo(access_token, id_token, payload)
        if details.get("sub") != payload.get("sub"):  # OpenID Connect Core 5.3.2
            refuse(self.request, UNTRUSTED)  # the library turns the exception into a refusal
            raise SuspiciousOperation("The user details are not those of the ID token's subject")
        return details

    def verify_claims(self, claims):
        return bool(claims.get("email")) and claims.get("email_verified") is True

    def get_or_create_user(self, access_token, id_token, payload):
        details = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(details):
            refuse(self.request, UNVERIFIED)
            return None
        match = agent_user_by_email(str(details["email"]))
        if match.user is None:
            logger.info("OpenID Connect sign-in refused for %s: %s", details["email"], match.refusal)
            refuse(self.request, match.refusal)
        return match.user

    def get_user(self, user_id):
        # As Django's ModelBackend: a deactivated agent's session ends at the next request.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


def _enabled() -> None:
    if not settings.HELPLINE_OIDC_ENABLED:
        raise Http404("OpenID Connect sign-in is not configured")


def refused_page(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(
        request,
        "staff/sso_refused.html",
        {"reason": reason, "provider_name": settings.HELPLINE_OIDC_PROVIDER_NAME},
        status=status,
    )


class OIDCStartView(OIDCAuthenticationRequestView):
    """The "Sign in with ..." button: a POST (it stores the state, nonce and PKCE verifier in the session),
    answered by a redirect to the provider."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        _enabled()
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        return self.get(request)


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back with a code. Django's login rotates the session."""

    def dispatch(self, request, *args, **kwargs):
        _enabled()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        try:
            return super().get(request)
        except requests.RequestException:
            logger.exception("OpenID Connect provider unreachable")
            return refused_page(request, UNREACHABLE, status=502)
        except (SuspiciousOperation, jwt.PyJWTError, KeyError, ValueError) as error:
            # A state that is not this browser's, a token that fails a check, a malformed answer.
            logger.warning("OpenID Connect sign-in refused: %s", error)
            return refused_page(request, UNTRUSTED, status=400)

    def login_failure(self):
        return refused_page(self.request, refusal(self.request) or NOT_SIGNED_IN, status=403)
