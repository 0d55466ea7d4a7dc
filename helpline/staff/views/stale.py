"""A change refused because the page was old: the page as it stands now, with the form shown again.

The actions decide what conflicts (``tickets.conflicts``); this shows it: the refused form carries the
current version and the newest entry, says what changed meanwhile in its error (the page's error summary
takes the focus), and shows the current values, or, for what the agent typed (a reply, a note, a CC), what
they typed. A reply held back because others wrote meanwhile shows those entries above a "Send anyway"
button (``staff/ticket/_new_entries.html``, which a page polling for new entries can render as well).
"""

from collections.abc import Sequence

from django.http import HttpResponse
from django.shortcuts import render

from helpline.staff import held_uploads
from helpline.staff.views.base import AgentRequest, visible_ticket_or_404
from helpline.staff.views.ticket import ticket_context
from helpline.tickets.conflicts import NewEntriesArrived
from helpline.tickets.models import ThreadEntry

# Forms whose text the agent typed: shown again as posted; the others show the ticket as it is now.
TYPED = {"reply", "note", "cc"}
# Forms with files, kept for the form shown again (staff.held_uploads).
WITH_FILES = {"reply", "note"}
ARRIVED = (
    "A new entry arrived while you were writing, so your reply was not sent yet. Read the new entry above "
    "the reply, then send your reply anyway or change it."
)


def render_again(
    request: AgentRequest, number: str, name: str, message: str, new_entries: Sequence[ThreadEntry] = ()
) -> HttpResponse:
    """409 Conflict: nothing was changed; the page is current and the form ``name`` says why."""
    ticket = visible_ticket_or_404(request.agent, number)
    context = ticket_context(request.agent, ticket, {}, again=(name, request.POST if name in TYPED else None))
    form = context["forms"][name]
    form.is_valid()
    if name in WITH_FILES:
        files = request.FILES.getlist("attachments")
        kept = held_uploads.keep_for_again(request.agent, ticket, request.POST, files)
        context["held_uploads"] = {name: kept}
        if kept:
            message += " Your files are kept with it."
    form.add_error(None, message)
    context["new_entries"] = list(new_entries)
    return render(request, "staff/ticket.html", context, status=409)


def render_arrived(request: AgentRequest, number: str, arrived: NewEntriesArrived) -> HttpResponse:
    return render_again(request, number, "reply", ARRIVED, arrived.entries)
