"""Writing the audit log. Call ``record`` inside the transaction of the change it records, so the record
and the change commit (or roll back) together."""

from contextvars import ContextVar
from typing import Any, Protocol

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from helpline.audit.models import ACTIONS, AuditEntry
from helpline.core.client_ip import client_ip
from helpline.core.sqlite import batching


class _Ref(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def id(self) -> int | None: ...
    @property
    def name(self) -> str: ...
    @property
    def channel(self) -> str: ...


class Recordable(Protocol):
    """Any actor (``people.actors.Actor``): the log keeps its kind, id and name, not a link to it."""

    def actor_ref(self) -> _Ref: ...


# The address of the request being served, for the records it causes (set by ``RequestAddressMiddleware``).
request_address: ContextVar[str | None] = batching.carries(ContextVar("request_address", default=None))


def record(
    *,
    actor: Recordable,
    action: str,
    target_type: str,
    target_id: object,
    target_repr: str,
    data: dict[str, Any],
) -> AuditEntry:
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: add it to audit.models.ACTIONS")
    ref = actor.actor_ref()
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor_kind=str(ref.kind),
        actor_id=ref.id,
        actor_name=ref.name[:200],
        actor_channel=ref.channel,
        address=request_address.get(),
        action=action,
        target_type=target_type,
        target_id=str(target_id)[:60],
        target_repr=target_repr[:300],
        data=data,
    )


class RequestAddressMiddleware:
    """Make the client's address (as far as it can be trusted, see ``core.client_ip``) known to the audit
    records written while the request is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_address.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            request_address.reset(token)
