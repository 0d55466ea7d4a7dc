"""Why a single sign-on was refused, carried on the request from the backend that decided it to the page
that tells the person (the backends can only answer "nobody")."""

from django.http import HttpRequest

ATTRIBUTE = "helpline_sso_refusal"


def refuse(request: HttpRequest | None, reason: str) -> None:
    if request is not None:
        setattr(request, ATTRIBUTE, reason)


def refusal(request: HttpRequest | None) -> str:
    return getattr(request, ATTRIBUTE, "")
