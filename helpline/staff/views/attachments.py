"""Attachment downloads for agents."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from helpline.staff.views.base import AgentRequest, agent_required
from helpline.tickets.models import Attachment
from helpline.tickets.queries import thread_for, visible_tickets

# Served with their own type only when a browser cannot mistake them for a page or a script.
INLINE_SAFE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif"})


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
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = (
        found.content_type if found.content_type in INLINE_SAFE_TYPES else "application/octet-stream"
    )
    response = FileResponse(handle, as_attachment=True, filename=found.filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True)
    return response
