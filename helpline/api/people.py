"""Requesters and organizations: create, get, list (keyset pages by name), update. Reading takes the read
scope, changing the write scope. An agent's token reads as the staff panel lets the agent read (an
administrator every requester; another agent the requesters and collaborators of the tickets they see, and
those requesters' organizations) and changes nothing unless its agent is an administrator, as only
administrators edit requesters and organizations in the administration area. Every change is audit-logged as
the administration area logs it. A requester is found by email in any letter case; an address or a name
already taken is 409."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from helpline.api.auth import Caller, require_scope
from helpline.api.errors import ApiError, Error
from helpline.api.models import Scope
from helpline.api.schemas import (
    Email,
    Id,
    Input,
    OrganizationOut,
    RequesterOut,
    organization_out,
    requester_out,
)
from helpline.core.pagination import keyset_page
from helpline.core.text import one_line
from helpline.people.changes import save_organization, save_requester
from helpline.people.models import Organization, Requester
from helpline.people.requesters import Contact, new_requester, normalize_email, requesters_by_email
from helpline.tickets.models import Collaborator
from helpline.tickets.queries import visible_tickets

router = Router(tags=["requesters and organizations"])
READ = {200: RequesterOut, 401: Error, 403: Error, 404: Error}
CHANGE = {401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error}
NOT_ADMINISTRATOR = (
    "Only Helpline administrators change requesters and organizations: this token's agent is not one."
)


class Page(Input):
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(25, ge=1, le=100)


class RequesterPage(Schema):
    items: list[RequesterOut]
    next_cursor: str | None


class RequesterFilter(Page):
    email: Email | None = None
    organization_id: Id | None = None


# Who reads and who changes --------------------------------------------------------------------------------


def _directory(found: Caller) -> bool:
    """Whether the caller has the whole directory: an API key (a channel's right to it) or an
    administrator's token (a deactivated agent's token authenticates no one)."""
    return found.agent is None or found.agent.is_administrator


def _met_by(found: Caller, requesters: QuerySet[Requester]) -> QuerySet[Requester]:
    """The ``requesters`` the caller may read. The staff panel lists requesters to administrators alone (in
    the administration area); other agents meet the requester and the collaborators of each ticket they
    may see, and the API shows them no more."""
    if _directory(found):
        return requesters
    tickets = visible_tickets(found.actor).order_by()
    copied = Collaborator.objects.filter(ticket__in=tickets).values("requester_id").order_by()
    # One subquery of a union, as ``requesters_by_email`` does: an OR of two would read every requester.
    return requesters.filter(pk__in=tickets.values("requester_id").union(copied))


def _changer(request: HttpRequest) -> Caller:
    """The caller, if it may change requesters and organizations: an API key with the write scope, or an
    administrator's token (the rule of ``admin_panel.access.administrator_required``)."""
    found = require_scope(request, Scope.WRITE)
    if not _directory(found):
        raise ApiError(403, NOT_ADMINISTRATOR)
    return found


# Requesters -----------------------------------------------------------------------------------------------


def _organization(pk: int | None) -> Organization | None:
    if pk is None:
        return None
    found = Organization.objects.filter(pk=pk).first()
    if found is None:
        raise ApiError(422, f"No organization has id {pk}.", "organization_id")
    return found


def _requester(found: Caller, pk: int) -> Requester:
    rows = _met_by(found, Requester.objects.select_related("organization"))
    requester = rows.filter(pk=pk).first()
    if requester is None:
        raise ApiError(404, f"No requester has id {pk}.", "requester_id")
    return requester


@router.get("/requesters", response={200: RequesterPage, 401: Error, 403: Error, 422: Error})
def list_requesters(request: HttpRequest, params: Query[RequesterFilter]) -> dict:
    found = require_scope(request, Scope.READ)
    requesters = requesters_by_email(params.email) if params.email else Requester.objects.all()
    requesters = _met_by(found, requesters.select_related("organization"))
    if params.organization_id is not None:
        requesters = requesters.filter(organization_id=params.organization_id)
    page = keyset_page(requesters, field="name", descending=False, cursor=params.cursor, size=params.limit)
    return {"items": [requester_out(r) for r in page.rows], "next_cursor": page.next_cursor}


@router.get("/requesters/{requester_id}", response=READ)
def get_requester(request: HttpRequest, requester_id: Id) -> dict:
    return requester_out(_requester(require_scope(request, Scope.READ), requester_id))


def _save_requester(found: Caller, requester: Requester) -> None:
    """Create or save the requester with its audit record, as the administration area does; 409 when the
    address became another requester's meanwhile."""
    try:
        save_requester(actor=found.actor, requester=requester)
    except ValidationError:
        raise ApiError(409, f"A requester with the address {requester.email} exists.", "email") from None


class RequesterIn(Input):
    email: Email
    name: str = Field(min_length=1, max_length=200)
    phone: str = Field("", max_length=40)
    organization_id: Id | None = None


@router.post("/requesters", response={201: RequesterOut, **CHANGE})
def create_requester(request: HttpRequest, payload: RequesterIn):
    found = _changer(request)
    organization = _organization(payload.organization_id)
    email = normalize_email(payload.email)
    if requesters_by_email(email).exists():
        raise ApiError(409, f"A requester with the address {payload.email} exists already.", "email")
    requester = new_requester(Contact(email=email, name=payload.name, phone=payload.phone), email)
    requester.organization = organization
    _save_requester(found, requester)
    return Status(201, requester_out(requester))


class RequesterChange(Input):
    name: str | None = Field(None, min_length=1, max_length=200)
    phone: str | None = Field(None, max_length=40)
    organization_id: Id | None = Field(None, description="Send null to leave the organization.")


@router.patch("/requesters/{requester_id}", response={200: RequesterOut, **CHANGE})
def update_requester(request: HttpRequest, requester_id: Id, payload: RequesterChange) -> dict:
    found = _changer(request)
    requester = _requester(found, requester_id)
    given = payload.model_fields_set
    if "name" in given and payload.name is not None:
        requester.name = one_line(payload.name, 200) or requester.name
    if "phone" in given:
        requester.phone = one_line(payload.phone or "", 40)
    if "organization_id" in given:
        requester.organization = _organization(payload.organization_id)
    _save_requester(found, requester)
    return requester_out(requester)


# Organizations --------------------------------------------------------------------------------------------


class OrganizationPage(Schema):
    items: list[OrganizationOut]
    next_cursor: str | None


def _organizations(found: Caller) -> QuerySet[Organization]:
    """Every organization for those who read every requester; else the organizations of the requesters the
    caller meets (the staff panel shows an agent no list of them)."""
    if _directory(found):
        return Organization.objects.all()
    return Organization.objects.filter(
        pk__in=_met_by(found, Requester.objects.all()).values("organization_id")
    )


@router.get("/organizations", response={200: OrganizationPage, 401: Error, 403: Error, 422: Error})
def list_organizations(request: HttpRequest, params: Query[Page]) -> dict:
    organizations = _organizations(require_scope(request, Scope.READ))
    page = keyset_page(organizations, field="name", descending=False, cursor=params.cursor, size=params.limit)
    return {"items": [organization_out(o) for o in page.rows], "next_cursor": page.next_cursor}


def _org(found: Caller, pk: int) -> Organization:
    organization = _organizations(found).filter(pk=pk).first()
    if organization is None:
        raise ApiError(404, f"No organization has id {pk}.", "organization_id")
    return organization


@router.get(
    "/organizations/{organization_id}", response={200: OrganizationOut, 401: Error, 403: Error, 404: Error}
)
def get_organization(request: HttpRequest, organization_id: Id) -> dict:
    return organization_out(_org(require_scope(request, Scope.READ), organization_id))


class OrganizationIn(Input):
    name: str = Field(min_length=1, max_length=200)


def _save_name(found: Caller, organization: Organization, name: str) -> None:
    """Name (or rename) the organization with its audit record, as the administration area does; the same
    name again records nothing."""
    clean = one_line(name, 200)
    if not clean:
        raise ApiError(422, "An organization needs a name.", "name")
    if Organization.objects.filter(name__iexact=clean).exclude(pk=organization.pk).exists():
        raise ApiError(409, f"An organization is named {clean} already.", "name")
    organization.name = clean
    try:
        save_organization(actor=found.actor, organization=organization)
    except ValidationError:
        raise ApiError(409, f"An organization is named {clean} already.", "name") from None


@router.post("/organizations", response={201: OrganizationOut, **CHANGE})
def create_organization(request: HttpRequest, payload: OrganizationIn):
    found = _changer(request)
    organization = Organization()
    _save_name(found, organization, payload.name)
    return Status(201, organization_out(organization))


@router.patch("/organizations/{organization_id}", response={200: OrganizationOut, **CHANGE})
def update_organization(request: HttpRequest, organization_id: Id, payload: OrganizationIn) -> dict:
    found = _changer(request)
    organization = _org(found, organization_id)
    _save_name(found, organization, payload.name)
    return organization_out(organization)
