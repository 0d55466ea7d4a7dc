"""Who calls the API: an API key (a channel with the rights of its scopes) or an agent's personal token (the
agent, with exactly their permissions). Both come as ``Authorization: Bearer <credential>`` or as
``X-API-Key: <credential>``; each request then spends one use of its credential's rate limit."""

from dataclasses import dataclass

from django.http import HttpRequest
from ninja.security import APIKeyHeader, HttpBearer

from helpline.api.errors import ApiError
from helpline.api.keys import KEY_MARK, TOKEN_MARK, authenticate_key, authenticate_token
from helpline.api.models import ApiKey, PersonalToken, Scope
from helpline.api.ratelimit import spend
from helpline.core.client_ip import client_ip
from helpline.people.actors import Actor
from helpline.people.models import Agent

ALL_SCOPES = frozenset(Scope.values)


@dataclass(frozen=True)
class Caller:
    """The credential a request came with, and the actor it acts as."""

    actor: Actor
    scopes: frozenset[str]
    label: str  # how the rate limit counts it: "key:<id>" or "token:<id>"
    agent: Agent | None = None  # set for a personal token

    @classmethod
    def of_key(cls, key: ApiKey) -> "Caller":
        return cls(actor=key.actor(), scopes=frozenset(key.scopes), label=f"key:{key.pk}")

    @classmethod
    def of_token(cls, token: PersonalToken) -> "Caller":
        # An agent's token may do whatever the agent may: the policy decides, not scopes.
        return cls(actor=token.agent, scopes=ALL_SCOPES, label=f"token:{token.pk}", agent=token.agent)


def caller_for(request: HttpRequest, raw: str) -> Caller | None:
    address = client_ip(request)
    caller: Caller | None = None
    if raw.startswith(f"{KEY_MARK}_"):
        key = authenticate_key(raw, address)
        caller = Caller.of_key(key) if key is not None else None
    elif raw.startswith(f"{TOKEN_MARK}_"):
        token = authenticate_token(raw, address)
        caller = Caller.of_token(token) if token is not None else None
    if caller is not None:
        spend(caller.label)
    return caller


class BearerCredential(HttpBearer):
    """``Authorization: Bearer hlk_...`` (an API key) or ``Bearer hlt_...`` (a personal token)."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        return caller_for(request, token)


class HeaderCredential(APIKeyHeader):
    """``X-API-Key: hlk_...``, the header osTicket's scripts send."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        return caller_for(request, key) if key else None


CREDENTIALS = [BearerCredential(), HeaderCredential()]


def caller(request: HttpRequest) -> Caller:
    return request.auth  # type: ignore[attr-defined]  # set by the credentials above, or no operation runs


def require_scope(request: HttpRequest, scope: str) -> Caller:
    """The caller, if its credential holds ``scope``; 403 otherwise."""
    found = caller(request)
    if scope not in found.scopes:
        raise ApiError(403, f"This API key lacks the '{scope}' scope.")
    return found
