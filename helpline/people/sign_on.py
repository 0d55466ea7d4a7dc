"""Which agent a single sign-on stands for. Shared by OpenID Connect and LDAP (``staff.sso``).

A sign-on only ever finds an agent an administrator made: it never creates an account, and never changes
what the agent may do (departments, roles, the admin flag stay as they were set)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

# Why a sign-on found nobody, as the person signing in is told.
NO_AGENT = "There is no Helpline agent with this address. An administrator must add you as an agent first."
AMBIGUOUS = "More than one Helpline account has this address. Ask an administrator to sort them out."
INACTIVE = "This agent account is deactivated. Ask an administrator if you should still have access."


@dataclass(frozen=True)
class Match:
    user: AbstractBaseUser | None
    refusal: str = ""


def agent_user_by_email(email: str) -> Match:
    """The user of the one agent whose email is ``email`` (letter case aside), or why there is none."""
    if not email.strip():
        return Match(None, NO_AGENT)
    return _one_agent(get_user_model().objects.filter(email__iexact=email.strip(), agent__isnull=False))


def agent_user_by_username(username: str) -> Match:
    users = get_user_model().objects.filter(username__iexact=username.strip(), agent__isnull=False)
    return _one_agent(users)


def _one_agent(users) -> Match:
    found = list(users[:2])
    if not found:
        return Match(None, NO_AGENT)
    if len(found) > 1:
        return Match(None, AMBIGUOUS)
    if not found[0].is_active:
        return Match(None, INACTIVE)
    return Match(found[0])
