"""Opening a ticket through the API: for a requester (found by email, created if new), routed by help topic
or department, with attachments sent as base64. Attachments are checked as the portal's uploads are
(``core.uploads``): the count, each one's size, the kinds of file refused. An API key routes the ticket as
it likes; an agent's token as the staff panel lets the agent (``policy.require_chosen_routing``)."""

import base64
import binascii
from functools import partial
from typing import Literal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from ninja import Status
from pydantic import Field

from helpline.api.auth import require_scope
from helpline.api.errors import ApiError, Error
from helpline.api.models import Scope
from helpline.api.schemas import Email, Id, Input, TicketOut, ticket_out

# The list and the creation share a path, so one router holds both.
from helpline.api.ticket_reads import router
from helpline.catalog.models import Priority
from helpline.core import configuration
from helpline.core.prepared import PreparedQuery
from helpline.core.sqlite import batching
from helpline.core.uploads import refusal
from helpline.people.models import Agent, Department, Team
from helpline.people.requesters import Contact
from helpline.routing.models import HelpTopic
from helpline.sla.models import SLAPlan
from helpline.tickets.actions import Routing, receive_ticket
from helpline.tickets.models import Source
from helpline.tickets.policy import RoutingNotAllowed


class AttachmentIn(Input):
    name: str = Field(min_length=1, max_length=255)
    content_type: str = Field("application/octet-stream", max_length=100)
    data: str = Field(description="The file's bytes, base64-encoded.")


class ContactIn(Input):
    email: Email
    name: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)


class TicketIn(Input):
    requester: ContactIn
    subject: str = Field(min_length=1, max_length=255)
    body: str = Field(min_length=1, max_length=100_000)
    body_format: Literal["text", "html"] = "text"
    topic_id: Id | None = None
    department_id: Id | None = None
    priority_id: Id | None = None
    sla_plan_id: Id | None = None
    assignee_id: Id | None = None
    team_id: Id | None = None
    cc: list[Email] = Field(default_factory=list, max_length=20)
    attachments: list[AttachmentIn] = Field(default_factory=list)


# The rows a create names by id (department, topic, priority, ...): each compiled once (core.prepared), and
# those of the tables ``core.configuration`` tracks kept in the process until one of them changes (each
# caller gets its own copy; an id that names no row is not kept, so unknown ids cost no memory).
_BY_PK: dict[type, PreparedQuery] = {}
_KEPT = (Department, HelpTopic, Priority, SLAPlan)


def _row(model, pk: int | None, field: str):
    if pk is None:
        return None
    if model in _KEPT:
        try:
            return configuration.cached_row(f"api.row.{model._meta.label}.{pk}", partial(_read, model, pk))
        except model.DoesNotExist:
            raise ApiError(422, f"No {model._meta.verbose_name} has id {pk}.", field) from None
    row = _first(model, pk)
    if row is None:
        raise ApiError(422, f"No {model._meta.verbose_name} has id {pk}.", field)
    return row


def _first(model, pk: int):
    query = _BY_PK.get(model) or _BY_PK.setdefault(
        model, PreparedQuery(lambda key: model.objects.filter(pk=key))
    )
    return query.first(pk)


def _read(model, pk: int):
    row = _first(model, pk)
    if row is None:
        raise model.DoesNotExist
    return row


def routing_of(payload: TicketIn) -> Routing:
    if payload.topic_id is None and payload.department_id is None:
        raise ApiError(422, "Give a help topic (topic_id) or a department (department_id).", "topic_id")
    return Routing(
        topic=_row(HelpTopic, payload.topic_id, "topic_id"),
        department=_row(Department, payload.department_id, "department_id"),
        priority=_row(Priority, payload.priority_id, "priority_id"),
        sla_plan=_row(SLAPlan, payload.sla_plan_id, "sla_plan_id"),
        assignee=_row(Agent, payload.assignee_id, "assignee_id"),
        team=_row(Team, payload.team_id, "team_id"),
    )


def decode_attachments(attachments: list[AttachmentIn]) -> list[SimpleUploadedFile]:
    """The files, checked before anything is stored: 413 for one too large, 422 for the rest."""
    if len(attachments) > settings.HELPLINE_MAX_ATTACHMENTS:
        raise ApiError(
            422, f"At most {settings.HELPLINE_MAX_ATTACHMENTS} files may be attached.", "attachments"
        )
    files = []
    for index, attachment in enumerate(attachments):
        field = f"attachments.{index}"
        # Base64 is 4 characters per 3 bytes: refuse an oversized file before decoding it.
        if len(attachment.data) * 3 // 4 > settings.HELPLINE_MAX_ATTACHMENT_BYTES + 3:
            raise ApiError(413, f"{attachment.name} is too large.", f"{field}.data")
        try:
            content = base64.b64decode(attachment.data, validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(422, f"{attachment.name}: data is not base64.", f"{field}.data") from None
        reason = refusal(attachment.name, len(content))
        if reason:
            status = 413 if len(content) > settings.HELPLINE_MAX_ATTACHMENT_BYTES else 422
            raise ApiError(status, reason, field)
        files.append(SimpleUploadedFile(attachment.name, content, attachment.content_type))
    return files


@router.post(
    "/tickets",
    response={201: TicketOut, 400: Error, 401: Error, 403: Error, 413: Error, 422: Error, 429: Error},
    summary="Open a ticket",
)
def create_ticket(request: HttpRequest, payload: TicketIn):
    """Open a ticket for the requester (created if new) through a help topic or in a department. An API
    key opens it in its own name; a personal token as the agent."""
    actor = require_scope(request, Scope.CREATE).actor
    try:
        ticket = batching.run(
            receive_ticket,
            sender=Contact(
                email=payload.requester.email, name=payload.requester.name, phone=payload.requester.phone
            ),
            channel=Source.API,
            subject=payload.subject,
            body=payload.body,
            body_format=payload.body_format,
            attachments=decode_attachments(payload.attachments),
            cc=[Contact(email=email) for email in payload.cc],
            routing=routing_of(payload),
            entered_by=actor,
        )
    except RoutingNotAllowed as refusal:  # an agent's token, as the staff panel limits the agent
        raise ApiError(403, str(refusal), f"{refusal.choice}_id") from refusal
    # The ticket as the action left it (its relations are the rows it was opened with): read again, it
    # would answer the same at the cost of a nine-table join.
    return Status(201, ticket_out(ticket))
