"""The REST API, version 1: ``/api/v1/``, its OpenAPI document at ``/api/v1/openapi.json`` and its
interactive documentation at ``/api/v1/docs``. A door like the staff panel: it reads through
``visible_tickets`` and changes tickets through the actions, as the caller's actor."""

from django.http import HttpRequest
from ninja import NinjaAPI, Schema

from helpline.api import errors, people, reference, ticket_changes, ticket_intake, ticket_reads
from helpline.api.auth import CREDENTIALS, caller

api = NinjaAPI(
    title="Helpline API",
    version="1",
    description=(
        "Open, read and work tickets. Authenticate with `Authorization: Bearer <key or token>` (or "
        '`X-API-Key`). Errors are `{"detail": ..., "field": ...}`.'
    ),
    urls_namespace="api-v1",
    auth=CREDENTIALS,
    docs_url="/docs",
)
errors.install(api)


class Me(Schema):
    kind: str
    name: str
    scopes: list[str]


@api.get("/me", response={200: Me}, tags=["authentication"], summary="Who the credential acts as")
def me(request: HttpRequest) -> Me:
    found = caller(request)
    ref = found.actor.actor_ref()
    return Me(kind=ref.kind, name=ref.name, scopes=sorted(found.scopes))


# The search route comes before "/tickets/{number}", which would take "search" for a number; the router
# of the reads also holds the creation (ticket_intake), which shares the list's path.
assert ticket_intake.router is ticket_reads.router
api.add_router("", ticket_reads.router)
api.add_router("", ticket_changes.router)
api.add_router("", people.router)
api.add_router("", reference.router)
