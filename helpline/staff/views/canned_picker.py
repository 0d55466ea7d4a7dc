"""Canned responses on the ticket page: the choice offered above the reply box, inserting one (a GET that
fills the reply box, or the JSON the page's script asks for), and its files sent with the reply."""

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from helpline.people.models import Agent
from helpline.people.permissions import Perm
from helpline.staff.views.base import AgentRequest, agent_required, visible_ticket_or_404
from helpline.tickets.canned.library import attachment_uploads, insert, usable_response, usable_responses
from helpline.tickets.models import Ticket
from helpline.tickets.policy import can

PARAMETER = "canned"


def canned_context(request: HttpRequest, agent: Agent, ticket: Ticket, reply: forms.Form) -> dict:
    """What the reply box's canned parts show. ``?canned=ID`` (the picker without JavaScript) fills an
    unbound reply form with the response's text; a refused id raises NotAllowed (the 403 page). A reply
    form posted back with its errors keeps the response whose files it was to send."""
    if not can(agent, Perm.REPLY, ticket):
        return {}
    offered = list(usable_responses(agent).select_related("department").order_by("title", "pk"))
    context: dict = {"canned_offered": offered, "canned_id": "", "canned_files": []}
    chosen = reply.data.get(PARAMETER) if reply.is_bound else request.GET.get(PARAMETER)
    if not chosen:
        return context
    inserted = insert(agent, ticket, usable_response(agent, ticket, chosen))
    if not reply.is_bound:
        reply.initial["body"] = inserted.text
    return context | {"canned_id": inserted.response_id, "canned_files": inserted.filenames}


@require_GET
@agent_required
def canned_insert(request: AgentRequest, number: str, pk: int) -> JsonResponse:
    """The rendered text and file names of a response, for the page's script to insert at the cursor."""
    ticket = visible_ticket_or_404(request.agent, number)
    inserted = insert(request.agent, ticket, usable_response(request.agent, ticket, pk))
    return JsonResponse({"id": inserted.response_id, "text": inserted.text, "files": inserted.filenames})


@contextmanager
def canned_files(agent: Agent, ticket: Ticket, chosen: str | None) -> Iterator[list[UploadedFile]]:
    """The files of the response a reply is sent with (none without one), open while the reply is
    stored. Raises NotAllowed for a response the agent may not use."""
    if not chosen:
        yield []
        return
    uploads = attachment_uploads(usable_response(agent, ticket, chosen))
    try:
        yield uploads
    finally:
        for upload in uploads:
            upload.close()
