"""Requesters and organizations: create, get, list (keyset pages by name), update. Reading takes the read
scope, changing the write scope; an agent's token may do both (agents see and enter requesters in the
staff panel too). A requester is found by email in any letter case; an address or a name already taken is
409."""

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from helpline.api.auth import require_scope
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
from helpline.people.models import Organization, Requester
from helpline.people.requesters import Contact, find_or_create_requester, requesters_by_email

router = Router(tags=["requesters and organizations"])
READ = {200: RequesterOut, 401: Error, 403: Error, 404: Error}
CHANGE = {401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error}


class Page(Input):
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(25, ge=1, le=100)


class RequesterPage(Schema):
    items: list[RequesterOut]
    next_cursor: str | None


class RequesterFilter(Page):
    email: Email | None = None
    organization_id: Id | None = None


def _organization(pk: int | None) -> Organization | None:
    if pk is None:
        return None
    found = Organization.objects.filter(pk=pk).first()
    if found is None:
        raise ApiError(422, f"No organization has id {pk}.", "organization_id")
    return found


def _requester(pk: int) -> Requester:
    found = Requester.objects.select_related("organization").filter(pk=pk).first()
    if found is None:
        raise ApiError(404, f"No requester has id {pk}.", "requester_id")
    return found


@router.get("/requesters", response={200: RequesterPage, 401: Error, 403: Error, 422: Error})
def list_requesters(request: HttpRequest, params: Query[RequesterFilter]) -> dict:
    require_scope(request, Scope.READ)
    requesters = Requester.objects.select_related("organization")
    if params.email:
        requesters = requesters_by_email(params.email).select_related("organization")
    if params.organization_id is not None:
        requesters = requesters.filter(organization_id=params.organization_id)
    page = keyset_page(requesters, field="name", descending=False, cursor=params.cursor, size=params.limit)
    return {"items": [requester_out(r) for r in page.rows], "next_cursor": page.next_cursor}


@router.get("/requesters/{requester_id}", response=READ)
def get_requester(request: HttpRequest, requester_id: Id) -> dict:
    require_scope(request, Scope.READ)
    return requester_out(_requester(requester_id))


class RequesterIn(Input):
    email: Email
    name: str = Field(min_length=1, max_length=200)
    phone: str = Field("", max_length=40)
    organization_id: Id | None = None


@router.post("/requesters", response={201: RequesterOut, **CHANGE})
def create_requester(request: HttpRequest, payload: RequesterIn):
    require_scope(request, Scope.WRITE)
    organization = _organization(payload.organization_id)
    if requesters_by_email(payload.email).exists():
        raise ApiError(409, f"A requester with the address {payload.email} exists already.", "email")
    with transaction.atomic():
        requester = find_or_create_requester(
            Contact(email=payload.email, name=payload.name, phone=payload.phone)
        )
        if organization is not None:
            requester.organization = organization
            requester.save(update_fields=["organization"])
    return Status(201, requester_out(_requester(requester.pk)))


class RequesterChange(Input):
    name: str | None = Field(None, min_length=1, max_length=200)
    phone: str | None = Field(None, max_length=40)
    organization_id: Id | None = Field(None, description="Send null to leave the organization.")


@router.patch("/requesters/{requester_id}", response={200: RequesterOut, **CHANGE})
def update_requester(request: HttpRequest, requester_id: Id, payload: RequesterChange) -> dict:
    require_scope(request, Scope.WRITE)
    requester = _requester(requester_id)
    given = payload.model_fields_set
    fields = []
    if "name" in given and payload.name is not None:
        requester.name = one_line(payload.name, 200) or requester.name
        fields.append("name")
    if "phone" in given:
        requester.phone = one_line(payload.phone or "", 40)
        fields.append("phone")
    if "organization_id" in given:
        requester.organization = _organization(payload.organization_id)
        fields.append("organization")
    if fields:
        requester.save(update_fields=fields)
    return requester_out(requester)


class OrganizationPage(Schema):
    items: list[OrganizationOut]
    next_cursor: str | None


@router.get("/organizations", response={200: OrganizationPage, 401: Error, 403: Error, 422: Error})
def list_organizations(request: HttpRequest, params: Query[Page]) -> dict:
    require_scope(request, Scope.READ)
    page = keyset_page(
        Organization.objects.all(), field="name", descending=False, cursor=params.cursor, size=params.limit
    )
    return {"items": [organization_out(o) for o in page.rows], "next_cursor": page.next_cursor}


def _org(pk: int) -> Organization:
    found = Organization.objects.filter(pk=pk).first()
    if found is None:
        raise ApiError(404, f"No organization has id {pk}.", "organization_id")
    return found


@router.get(
    "/organizations/{organization_id}", response={200: OrganizationOut, 401: Error, 403: Error, 404: Error}
)
def get_organization(request: HttpRequest, organization_id: Id) -> dict:
    require_scope(request, Scope.READ)
    return organization_out(_org(organization_id))


class OrganizationIn(Input):
    name: str = Field(min_length=1, max_length=200)


def _save_name(organization: Organization, name: str) -> None:
    clean = one_line(name, 200)
    if not clean:
        raise ApiError(422, "An organization needs a name.", "name")
    if Organization.objects.filter(name__iexact=clean).exclude(pk=organization.pk).exists():
        raise ApiError(409, f"An organization is named {clean} already.", "name")
    organization.name = clean
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError:
        raise ApiError(409, f"An organization is named {clean} already.", "name") from None


@router.post("/organizations", response={201: OrganizationOut, **CHANGE})
def create_organization(request: HttpRequest, payload: OrganizationIn):
    require_scope(request, Scope.WRITE)
    organization = Organization()
    _save_name(organization, payload.name)
    return Status(201, organization_out(organization))


@router.patch("/organizations/{organization_id}", response={200: OrganizationOut, **CHANGE})
def update_organization(request: HttpRequest, organization_id: Id, payload: OrganizationIn) -> dict:
    require_scope(request, Scope.WRITE)
    organization = _org(organization_id)
    _save_name(organization, payload.name)
    return organization_out(organization)
