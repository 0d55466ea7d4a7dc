"""How the staff thread shows its events: one short sentence per recorded change."""

from django import template

from helpline.tickets.models import Event, Source, ThreadEntry

register = template.Library()


def _assignee(data: dict) -> str:
    return " and team ".join(name for name in (data.get("agent"), data.get("team")) if name) or "nobody"


def _change(what: str, data: dict, key: str, author: str) -> str:
    previous, current = data.get("previous") or "none", data.get(key) or "none"
    return f"{what} changed from {previous} to {current} by {author}"


def _created(data: dict, author: str) -> str:
    source = Source(data["source"]).label if data.get("source") in Source.values else "an unknown channel"
    if data.get("entered_by"):
        return f"{author} opened this ticket for the requester (source: {source})"
    return f"{author} opened this ticket (source: {source})"


@register.filter
def event_sentence(entry: ThreadEntry) -> str:
    """A plain-text sentence (escaped by the template) for an event entry, e.g. "Sam assigned this to Sam"."""
    data, author = entry.data or {}, entry.author_name
    match entry.event:
        case Event.CREATED:
            return _created(data, author)
        case Event.ASSIGNED if data.get("auto"):
            return f"Assigned to {_assignee(data)} by the help topic"
        case Event.ASSIGNED:
            return f"{author} assigned this to {_assignee(data)}"
        case Event.UNASSIGNED:
            return f"{author} unassigned this"
        case Event.TRANSFERRED:
            return f"{author} transferred this from {data.get('previous')} to {data.get('department')}"
        case Event.PRIORITY:
            return _change("Priority", data, "priority", author)
        case Event.SLA:
            return _change("SLA plan", data, "sla_plan", author)
        case Event.STATUS:
            return _change("Status", data, "status", author)
        case Event.REOPENED:
            return f"{author} reopened this ({data.get('previous')} to {data.get('status')})"
        case Event.OVERDUE:
            return f"{author} marked this overdue"
        case Event.COLLABORATOR if data.get("removed"):
            return f"{author} removed {data['removed']} as a collaborator"
        case Event.COLLABORATOR if data.get("added"):
            return f"{author} added {data['added']} as a collaborator"
    label = Event(entry.event).label if entry.event in Event.values else "Changed"
    return f"{label} by {author}"
