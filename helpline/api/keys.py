"""Issuing and checking API keys and personal tokens.

A credential reads ``hlk_<prefix>_<secret>`` (an API key) or ``hlt_<prefix>_<secret>`` (a personal token): the
prefix finds the row through a unique index, the secret is compared by its SHA-256 in constant time. Only the
hash is stored; the whole credential is shown once, when it is issued.
"""

import hashlib
import hmac
import ipaddress
import re
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from helpline.api.models import ApiKey, Credential, PersonalToken, Scope
from helpline.core.prepared import PreparedQuery
from helpline.people.models import Agent

KEY_MARK = "hlk"
TOKEN_MARK = "hlt"  # noqa: S105 (a marker, not a secret)
# Last use is written at most this often per credential, so a busy key does not write on every request.
LAST_USE_EVERY = timedelta(minutes=1)
PREFIX = re.compile(r"[0-9a-f]{12}")


class InvalidKey(ValueError):
    """What an administrator asked for cannot be a key (an unknown scope, a network that is not one)."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_secret(mark: str) -> tuple[str, str, str]:
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return prefix, _hash(secret), f"{mark}_{prefix}_{secret}"


def clean_networks(networks: Iterable[str]) -> list[str]:
    """The networks in their normal form (``10.0.0.1/8`` is ``10.0.0.0/8``). Raises InvalidKey."""
    cleaned = []
    for network in networks:
        try:
            cleaned.append(str(ipaddress.ip_network(network.strip(), strict=False)))
        except ValueError:
            raise InvalidKey(f"{network!r} is not a network (CIDR, such as 192.0.2.0/24).") from None
    return cleaned


def clean_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = set(scopes)
    unknown = chosen - set(Scope.values)
    if unknown:
        raise InvalidKey(
            f"Unknown scope {', '.join(sorted(unknown))}: choose from {', '.join(Scope.values)}."
        )
    if not chosen:
        raise InvalidKey("A key needs at least one scope.")
    return [scope for scope in Scope.values if scope in chosen]


def issue_key(
    name: str,
    scopes: Iterable[str],
    networks: Iterable[str] = (),
    expires_at: datetime | None = None,
    created_by: Agent | None = None,
) -> tuple[ApiKey, str]:
    """A new API key and the credential to hand over (it cannot be shown again). Raises InvalidKey."""
    name = name.strip()
    if not name:
        raise InvalidKey("A key needs a name.")
    prefix, secret_hash, raw = _new_secret(KEY_MARK)
    key = ApiKey.objects.create(
        name=name,
        scopes=clean_scopes(scopes),
        networks=clean_networks(networks),
        expires_at=expires_at,
        created_by=created_by,
        prefix=prefix,
        secret_hash=secret_hash,
    )
    return key, raw


def issue_token(agent: Agent, name: str, expires_at: datetime | None = None) -> tuple[PersonalToken, str]:
    """A new personal token for ``agent`` and the credential to show them once."""
    prefix, secret_hash, raw = _new_secret(TOKEN_MARK)
    token = PersonalToken.objects.create(
        agent=agent,
        name=name.strip() or "API token",
        expires_at=expires_at,
        prefix=prefix,
        secret_hash=secret_hash,
    )
    return token, raw


# Every API request looks its credential up by prefix: compiled once (core.prepared).
_KEYS = PreparedQuery(lambda prefix: ApiKey.objects.filter(prefix=prefix).order_by("pk")[:1], kinds=(str,))
_TOKENS = PreparedQuery(
    lambda prefix: (
        PersonalToken.objects.select_related("agent__user").filter(prefix=prefix).order_by("pk")[:1]
    ),
    kinds=(str,),
)


def _find(rows: PreparedQuery, mark: str, raw: str) -> Any:  # the rows' model: ApiKey or PersonalToken
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != mark or not PREFIX.fullmatch(parts[1]) or "\x00" in parts[2]:
        return None
    found = rows.first(parts[1])
    if found is None or not hmac.compare_digest(found.secret_hash, _hash(parts[2])):
        return None
    return found if found.is_live() else None


def _in_networks(networks: list[str], client_ip: str | None) -> bool:
    """Whether a key limited to ``networks`` may be used from ``client_ip``: never from no address (what
    ``core.client_ip`` gives for one that cannot be read)."""
    if not networks:
        return True
    if client_ip is None:
        return False
    address = ipaddress.ip_address(client_ip)
    return any(address in ipaddress.ip_network(network) for network in networks)


def _record_use(credential: Credential, client_ip: str | None) -> None:
    """``client_ip`` as ``core.client_ip`` gives it: an address in its normal form, or None."""
    now = timezone.now()
    used = credential.last_used_at
    if used is not None and now - used < LAST_USE_EVERY and credential.last_used_ip == client_ip:
        return
    credential.last_used_at, credential.last_used_ip = now, client_ip
    # A plain UPDATE of two columns: no read-modify-write of the row, no signals.
    type(credential)._default_manager.filter(pk=credential.pk).update(
        last_used_at=now, last_used_ip=client_ip
    )


def authenticate_key(raw: str, client_ip: str | None) -> ApiKey | None:
    """The live API key ``raw`` names, if the request comes from one of its networks; None otherwise
    (unknown, wrong secret, revoked, expired, wrong network). Records its last use."""
    key = _find(_KEYS, KEY_MARK, raw)
    if key is None or not _in_networks(key.networks, client_ip):
        return None
    _record_use(key, client_ip)
    return key


def authenticate_token(raw: str, client_ip: str | None) -> PersonalToken | None:
    """The live personal token ``raw`` names, of an agent who is still active; None otherwise."""
    token = _find(_TOKENS, TOKEN_MARK, raw)
    if token is None or not token.agent.is_active:
        return None
    _record_use(token, client_ip)
    return token


def revoke(credential: Credential) -> None:
    if credential.revoked_at is None:
        credential.revoked_at = timezone.now()
        type(credential)._default_manager.filter(pk=credential.pk).update(revoked_at=credential.revoked_at)
