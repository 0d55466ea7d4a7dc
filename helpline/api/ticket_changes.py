"""Changing tickets through the API: reply, note, assign, transfer, status, priority, SLA plan, merge.

Each finds the ticket through ``visible_tickets`` (404 when the caller may not see it) and calls the one
action for the change, as the caller's actor; the action's policy check answers 403. ``If-Match`` with the
ticket's ETag (or its ``version``) makes the change conditional: 409 when the ticket changed since in a
way that conflicts with it (``tickets.conflicts``)."""

from typing import Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status
from pydantic import Field

from helpline.api.auth import require_scope
from helpline.api.errors import ApiError, Error
from helpline.api.models import Scope
from helpline.api.schemas import TICKET_RELATIONS, EntryOut, Id, Input, TicketOut, entry_out, ticket_out
from helpline.api.ticket_intake import AttachmentIn, decode_attachments
from helpline.api.ticket_reads import visible_ticket
from helpline.catalog.models import Priority, TicketStatus
from helpline.core.whole_numbers import whole_number
from helpline.people.actors import Actor
from helpline.people.models import Agent, Department, Team
from helpline.sla.models import SLAPlan
from helpline.tickets.actions import (
    add_note,
    assign_ticket,
    merge_tickets,
    post_reply,
    set_priority,
    set_sla_plan,
    set_status,
    transfer_ticket,
)
from helpline.tickets.actions.base import lock_ticket
from helpline.tickets.conflicts import Change, require_current
from helpline.tickets.models import Ticket

router = Router(tags=["ticket changes"])
CHANGED = {200: TicketOut, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error}
WRITTEN = {201: EntryOut, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 422: Error, 429: Error}


def _expected_version(request: HttpRequest, ticket: Ticket) -> int | None:
    """The version an If-Match names: an ETag this API gave (``"number.version.x"``) or a bare version."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw or raw == "*":
        return None
    tag = raw.removeprefix("W/").strip('"')
    parts = tag.split(".")
    version = parts[1] if len(parts) == 3 and parts[0] == ticket.number else tag
    if (number := whole_number(version)) is None:
        raise ApiError(400, "If-Match: send the ticket's ETag or its version.", "If-Match")
    return number


def _target(request: HttpRequest, number: str) -> tuple[Actor, Ticket, int | None]:
    actor = require_scope(request, Scope.WRITE).actor
    ticket = visible_ticket(actor, number)
    return actor, ticket, _expected_version(request, ticket)


def _fresh(ticket: Ticket) -> dict:
    return ticket_out(Ticket.objects.select_related(*TICKET_RELATIONS).get(pk=ticket.pk))


def _get(model, pk: int, field: str):
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise ApiError(422, f"No {model._meta.verbose_name} has id {pk}.", field)
    return row


class ReplyIn(Input):
    body: str = Field(min_length=1, max_length=100_000)
    body_format: Literal["text", "html"] = "text"
    status_id: Id | None = Field(None, description="A status to set with the reply.")
    attachments: list[AttachmentIn] = Field(default_factory=list)


@router.post("/tickets/{number}/reply", response=WRITTEN, summary="Reply to the requester")
def reply(request: HttpRequest, number: str, payload: ReplyIn):
    actor, ticket, version = _target(request, number)
    entry = post_reply(
        actor=actor,
        ticket=ticket,
        body=payload.body,
        body_format=payload.body_format,
        attachments=decode_attachments(payload.attachments),
        status=_get(TicketStatus, payload.status_id, "status_id") if payload.status_id is not None else None,
        expected_version=version,
    )
    return Status(201, entry_out(entry))


class NoteIn(Input):
    body: str = Field(min_length=1, max_length=100_000)
    body_format: Literal["text", "html"] = "text"
    attachments: list[AttachmentIn] = Field(default_factory=list)


@router.post("/tickets/{number}/notes", response=WRITTEN, summary="Add an internal note")
def note(request: HttpRequest, number: str, payload: NoteIn):
    actor, ticket, version = _target(request, number)
    entry = add_note(
        actor=actor,
        ticket=ticket,
        body=payload.body,
        body_format=payload.body_format,
        attachments=decode_attachments(payload.attachments),
        expected_version=version,
    )
    return Status(201, entry_out(entry))


class AssignIn(Input):
    agent_id: Id | None = Field(None, description="null (with no team): unassign.")
    team_id: Id | None = None


@router.post("/tickets/{number}/assign", response=CHANGED, summary="Assign to an agent and/or a team")
def assign(request: HttpRequest, number: str, payload: AssignIn):
    actor, ticket, version = _target(request, number)
    agent = None
    if payload.agent_id is not None:
        agent = Agent.objects.select_related("user").filter(pk=payload.agent_id).first()
        if agent is None:
            raise ApiError(422, f"No agent has id {payload.agent_id}.", "agent_id")
    team = _get(Team, payload.team_id, "team_id") if payload.team_id is not None else None
    assign_ticket(actor=actor, ticket=ticket, agent=agent, team=team, expected_version=version)
    return _fresh(ticket)


class TransferIn(Input):
    department_id: Id


@router.post("/tickets/{number}/transfer", response=CHANGED, summary="Transfer to another department")
def transfer(request: HttpRequest, number: str, payload: TransferIn):
    actor, ticket, version = _target(request, number)
    department = _get(Department, payload.department_id, "department_id")
    transfer_ticket(actor=actor, ticket=ticket, department=department, expected_version=version)
    return _fresh(ticket)


class StatusIn(Input):
    status_id: Id


@router.post("/tickets/{number}/status", response=CHANGED, summary="Change the status")
def status(request: HttpRequest, number: str, payload: StatusIn):
    actor, ticket, version = _target(request, number)
    new = _get(TicketStatus, payload.status_id, "status_id")
    set_status(actor=actor, ticket=ticket, status=new, expected_version=version)
    return _fresh(ticket)


class PriorityIn(Input):
    priority_id: Id


@router.post("/tickets/{number}/priority", response=CHANGED, summary="Change the priority")
def priority(request: HttpRequest, number: str, payload: PriorityIn):
    actor, ticket, version = _target(request, number)
    new = _get(Priority, payload.priority_id, "priority_id")
    set_priority(actor=actor, ticket=ticket, priority=new, expected_version=version)
    return _fresh(ticket)


class SLAPlanIn(Input):
    sla_plan_id: Id | None = Field(description="null: no SLA plan.")


@router.post("/tickets/{number}/sla-plan", response=CHANGED, summary="Change the SLA plan")
def sla_plan(request: HttpRequest, number: str, payload: SLAPlanIn):
    actor, ticket, version = _target(request, number)
    plan = _get(SLAPlan, payload.sla_plan_id, "sla_plan_id") if payload.sla_plan_id is not None else None
    set_sla_plan(actor=actor, ticket=ticket, sla_plan=plan, expected_version=version)
    return _fresh(ticket)


class MergeIn(Input):
    into: str = Field(
        min_length=1, max_length=20, description="The number of the ticket to merge this one into."
    )


@router.post("/tickets/{number}/merge", response=CHANGED, summary="Merge into another ticket")
def merge(request: HttpRequest, number: str, payload: MergeIn):
    """Merge this ticket into ``into``; answers the ticket merged into. ``If-Match`` names this ticket's
    version: a merge closes it, so it is refused as a close would be (409 when it changed meanwhile)."""
    actor, source, version = _target(request, number)
    target = visible_ticket(actor, payload.into.lstrip("#"), "into")
    with transaction.atomic():
        if version is not None:
            # ``merge_tickets`` takes no version yet: the door checks it under the locks the merge takes
            # next, in the same order (by id), so nothing changes the ticket between check and merge.
            locked = {pk: lock_ticket(pk) for pk in sorted({source.pk, target.pk})}
            require_current(locked[source.pk], [Change.FINISH], expected_version=version, seen_entry_id=None)
        merge_tickets(actor=actor, source=source, target=target)
    return _fresh(target)
