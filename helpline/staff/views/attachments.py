"""Attachment downloads for agents."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from helpline.core.downloads import download_response
from helpline.staff.views.base import AgentRequest, agent_required
from helpline.tickets.models import Attachment
from helpline.tickets.queries import thread_for, visible_tickets


@require_GET
@agent_required
def attachment(request: AgentRequest, pk: int) -> FileResponse:
    """The file, always as a download, if its ticket is visible to the agent and its entry readable."""
    agent = request.agent
    found = get_object_or_404(
        Attachment.objects.select_related("entry__ticket").filter(entry__ticket__in=visible_tickets(agent)),
        pk=pk,
    )
    if not thread_for(agent, found.entry.ticket).filter(pk=found.entry_id).exists():
        raise Http404
    return download_response(found.file, filename=found.filename, content_type=found.content_type)
