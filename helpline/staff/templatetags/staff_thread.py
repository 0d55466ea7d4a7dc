"""How the staff thread shows its events: one short sentence per recorded change, read from the event's
typed payload (``tickets.events``)."""

from collections.abc import Iterable

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from helpline.core.downloads import INLINE_SAFE_TYPES
from helpline.core.email_html import show_email_html
from helpline.core.jinja_pages import render_part
from helpline.people.models import Agent
from helpline.tickets import events
from helpline.tickets.models import Attachment, EntryKind, Source, ThreadEntry
from helpline.tickets.queries import visible_tickets

register = template.Library()


def _name(ref: events.Ref | None, none: str = "none") -> str:
    return ref.name if ref is not None else none


def _assignee(agent: events.Ref | None, team: events.Ref | None) -> str:
    names = [f"team {team.name}" if who is team else who.name for who in (agent, team) if who is not None]
    return " and ".join(names) or "nobody"


def _created(data: events.Created, author: str) -> str:
    source = Source(data.source).label
    opened = (
        f"{author} opened this ticket for the requester"
        if data.entered_by
        else f"{author} opened this ticket"
    )
    follows = f", a follow-up of {data.follow_up_of.name}" if data.follow_up_of else ""
    return f"{opened} (source: {source}){follows}"


def _assigned(data: events.Assigned, entry: ThreadEntry) -> str:
    if data.pool is not None:
        return f"Assigned to {_assignee(data.agent, None)} by {data.pool.name}'s {data.strategy.lower()}"
    if data.topic is not None:
        return f"Assigned to {_assignee(data.agent, data.team)} by the help topic {data.topic.name}"
    # Taking a ticket oneself keeps the team it is with (claiming, or "Assign to me").
    team_kept = data.team is None or (
        data.previous_team is not None and data.team.id == data.previous_team.id
    )
    if data.agent is not None and team_kept and data.agent.id == entry.author_agent_id:
        return f"{entry.author_name} took this ticket"
    return f"{entry.author_name} assigned this to {_assignee(data.agent, data.team)}"


# The events that name another ticket, and the fields that do.
RELATED: dict[type[events.EventData], str] = {
    events.MergedInto: "target",
    events.MergedFrom: "source",
    events.Linked: "other",
    events.Unlinked: "other",
    events.SplitTo: "new",
    events.SplitFrom: "original",
}
Shown = frozenset[int] | None  # the other tickets whose subject the reader may see; None: all of them


def _ticket(ref: events.TicketRef, shown: Shown) -> str:
    """The other ticket by number, with its subject only for a reader who may see that ticket (as the
    related box names one they may not: by number alone)."""
    return f"#{ref.number} ({ref.subject})" if shown is None or ref.id in shown else f"#{ref.number}"


def related_ids(entries: Iterable[ThreadEntry]) -> set[int]:
    """The ids of the other tickets the entries' events name."""
    kinds = {payload.kind.value for payload in RELATED}
    ids = set()
    for entry in entries:
        if entry.kind == EntryKind.EVENT and entry.event in kinds:
            ref = (entry.data or {}).get(RELATED[events.PAYLOADS[entry.event]], {})
            if isinstance(ref, dict) and isinstance(ref.get("id"), int):
                ids.add(ref["id"])
    return ids


def _related(data: events.EventData, author: str, shown: Shown) -> str:
    """Merging, linking and splitting: each names the other ticket."""
    match data:
        case events.MergedInto():
            return f"{author} merged this ticket into {_ticket(data.target, shown)}"
        case events.MergedFrom():
            moved = f"{data.entries} entr{'y' if data.entries == 1 else 'ies'}"
            return f"{author} merged {_ticket(data.source, shown)} into this ticket ({moved} moved here)"
        case events.Linked():
            return f"{author} linked this to {_ticket(data.other, shown)}"
        case events.Unlinked():
            return f"{author} removed the link to {_ticket(data.other, shown)}"
        case events.SplitTo():
            return f"{author} split a message off into the new ticket {_ticket(data.new, shown)}"
        case events.SplitFrom():
            return f"{author} opened this ticket from a message of {_ticket(data.original, shown)}"
    return author


def _sentence(data: events.EventData, entry: ThreadEntry, shown: Shown) -> str:
    author = entry.author_name
    match data:
        case events.Created():
            return _created(data, author)
        case events.Assigned():
            return _assigned(data, entry)
        case events.Unassigned():
            return f"{author} unassigned this"
        case events.Transferred():
            return f"{author} transferred this from {data.previous.name} to {data.department.name}"
        case events.PriorityChanged():
            return f"Priority changed from {data.previous.name} to {data.priority.name} by {author}"
        case events.SLAPlanChanged():
            return f"SLA plan changed from {_name(data.previous)} to {_name(data.sla_plan)} by {author}"
        case events.StatusChanged():
            return f"Status changed from {data.previous.name} to {data.status.name} by {author}"
        case events.Reopened():
            return f"{author} reopened this ({data.previous.name} to {data.status.name})"
        case events.MarkedOverdue() if data.target == "first_response":
            return f"{author}: the first response is overdue"
        case events.MarkedOverdue():
            return f"{author} marked this overdue"
        case events.SLAWarning() if data.target == "first_response":
            return f"{author}: the first response is due soon"
        case events.SLAWarning():
            return f"{author}: the resolution target is near"
        case events.RuleApplied():
            return f"Filter rule {data.rule.name}: {'; '.join(data.changes) or 'no change'}"
        case events.CollaboratorAdded():
            return f"{author} added {data.requester.name} <{data.requester.email}> as a collaborator"
        case events.Bounced():
            return f"Mail to {data.recipient} bounced: {data.diagnostic or data.status}"
        case events.CollaboratorRemoved():
            return f"{author} removed {data.requester.name} <{data.requester.email}> as a collaborator"
        case events.TaskAdded():
            whom = f" for {data.assignee.name}" if data.assignee else ""
            due = f", due {data.due_on:%Y-%m-%d}" if data.due_on else ""
            return f"{author} added the task “{data.task.name}”{whom}{due}"
        case events.TaskChanged():
            return f"{author} changed the task “{data.task.name}”: {'; '.join(data.changes)}"
        case events.TaskDone():
            done = "done" if data.done else "not done"
            return f"{author} marked the task “{data.task.name}” {done}"
        case events.TaskDeleted():
            return f"{author} deleted the task “{data.task.name}”"
        case events.MergedInto() | events.MergedFrom() | events.Linked() | events.Unlinked():
            return _related(data, author, shown)
        case events.SplitTo() | events.SplitFrom():
            return _related(data, author, shown)
        case events.AccessLinksRevoked():
            return f"{author} revoked the access links sent so far"
        case events.FieldsChanged():
            return f"{author} changed " + "; ".join(
                f"{c.field.name} from “{c.before or 'empty'}” to “{c.after or 'empty'}”" for c in data.changes
            )
    return f"{entry.get_event_display()} by {author}"


@register.filter
def event_sentence(entry: ThreadEntry, shown: Shown = None) -> str:
    """A plain-text sentence (escaped by the template) for an event entry, e.g. "Sam took this ticket";
    ``shown``: the other tickets whose subjects the reader may see."""
    try:
        data = events.payload_of(entry.event, entry.data or {})
    except (KeyError, ValueError):
        # An event of a kind or shape this version does not know: say what little is certain.
        return f"Changed by {entry.author_name}"
    return _sentence(data, entry, shown)


def _visible_related(agent: Agent | None, entries: Iterable[ThreadEntry]) -> Shown:
    """Of the other tickets the entries name, those the agent may see: one query, none without any."""
    if agent is None:
        return None
    ids = related_ids(entries)
    if not ids:
        return frozenset()
    return frozenset(visible_tickets(agent).filter(pk__in=ids).values_list("pk", flat=True))


def entry_files(entry: ThreadEntry) -> list[Attachment]:
    """The entry's attachments: the list the ticket page loaded (``files``), else read now."""
    files = getattr(entry, "files", None)
    return files if files is not None else list(entry.attachments.all())


@register.filter
def previewable(attachment: Attachment) -> bool:
    """Is the attachment an image the thread may show (a type served as itself, never SVG)?"""
    return attachment.content_type in INLINE_SAFE_TYPES


@register.simple_tag(takes_context=True)
def entry_body(context: template.Context, entry: ThreadEntry) -> str:
    return body_of(entry, context.get("request"))


def body_of(entry: ThreadEntry, request: HttpRequest | None) -> str:
    """The entry's body: plain text as text; an email's HTML with its own images in place and other sites'
    images held back until the agent asks for them (``?images=<entry id>``); and, when the body is the new
    part of an emailed reply, the whole email behind a disclosure."""
    if not entry.body_html:
        body = format_html('<div class="body">{}</div>', entry.body_text)
    else:
        inline = {
            a.content_id: reverse("staff:attachment", args=[a.pk]) for a in entry_files(entry) if a.content_id
        }
        load = request is not None and request.GET.get("images") == str(entry.pk)
        shown = show_email_html(entry.body_html, inline_urls=inline, load_remote=load)
        body = format_html('<div class="body html">{}</div>', mark_safe(shown.html))  # noqa: S308 - sanitized when stored
        if shown.blocked_images:
            count = shown.blocked_images
            body += format_html(
                '<p class="blocked-images muted">{} image{} from other sites not loaded (they would tell the '
                'sender you read this). <a href="?images={}#entry-{}">Load them</a></p>',
                count,
                "s" if count != 1 else "",
                entry.pk,
                entry.pk,
            )
    if entry.original_text:
        body += format_html(
            '<details class="original"><summary>Show the whole email, with the quoted text</summary>'
            '<div class="body">{}</div></details>',
            entry.original_text,
        )
    return body


@register.simple_tag(takes_context=True)
def thread_entries(context: template.Context) -> SafeString:
    """The thread's ``entries``, rendered by the Jinja2 engine (``core.jinja_pages``) with this module's
    sentences and bodies."""
    request = context.get("request")
    entries = context.get("entries") or ()
    shown = _visible_related(getattr(request, "agent", None), entries)
    values = {
        "entries": entries,
        "event_sentence": lambda entry: event_sentence(entry, shown),
        "entry_body": lambda entry: body_of(entry, request),
        "previewable": previewable,
    }
    return render_part("staff/_thread_entries.html", values, request)
