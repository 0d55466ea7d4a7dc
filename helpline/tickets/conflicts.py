"""Changes made against an older version of a ticket: which of them conflict with what happened meanwhile.

Every action that changes a ticket raises ``Ticket.version`` by one, in the same UPDATE, under the row lock
(``actions.base.touch``). A form on the staff ticket page carries the version it was shown with and the id
of the newest thread entry it showed; the views pass both to the action (``expected_version``,
``seen_entry_id``). Callers that pass no version (the email intake, filter rules, the SLA job, bulk
actions) are never checked. Under the lock the action asks ``require_current``: when the version moved, the
entries written after the one the page showed are what changed meanwhile (entries of one ticket are written
under its row lock, so their ids grow in commit order), and the change is refused only when one of them
conflicts with it. Otherwise it is merged: made as if the page had been current.

What conflicts with what (``CONFLICTS``; a change is refused when something listed for it happened since
the page was loaded, by anyone, the same agent in another tab included):

- **Assignment** (assign, "Assign to me", "Take it"): with an assignment, an unassignment or a transfer
  (the department, and so the agents who may have it, changed).
- **Transfer**: with another transfer.
- **Priority**: with a priority change. **SLA plan**: with an SLA plan change.
- **Status** (one that keeps the ticket open or pending): with a status change or a reopening.
  **Resolving or closing**: with those, and with a new message from the requester or a collaborator (it
  would be closed on words nobody read).
- **Reply**: its text with nothing; a status set with it as above. A reply posted after another message,
  response or note arrived is not refused but held back once with a warning (``NewEntriesArrived``): the
  agent reads the new entries and sends anyway (the form then carries the newer entry, so a further entry
  warns again).
- **Note** and **CC** (adding or removing a collaborator): with nothing; a note is only ever added, and
  adding someone already copied, or removing someone no longer copied, changes nothing.

SLA flags, escalations and rules that ran meanwhile conflict only through the changes they made (an
escalation that raised the priority is a priority change).
"""

from collections.abc import Iterable, Sequence
from enum import StrEnum

from django.db.models import QuerySet

from helpline.tickets import events
from helpline.tickets.models import EntryKind, Event, ThreadEntry, Ticket


class Change(StrEnum):
    ASSIGNMENT = "assignment"
    TRANSFER = "transfer"
    PRIORITY = "priority"
    SLA_PLAN = "sla_plan"
    STATUS = "status"
    FINISH = "finish"  # a status on the resolved or closed state
    REPLY = "reply"
    NOTE = "note"
    COLLABORATORS = "collaborators"


# For each change, the entries written meanwhile that refuse it: event kinds, and entry kinds for the
# entries that are not events.
CONFLICTS: dict[Change, frozenset[str]] = {
    Change.ASSIGNMENT: frozenset({Event.ASSIGNED, Event.UNASSIGNED, Event.TRANSFERRED}),
    Change.TRANSFER: frozenset({Event.TRANSFERRED}),
    Change.PRIORITY: frozenset({Event.PRIORITY}),
    Change.SLA_PLAN: frozenset({Event.SLA}),
    Change.STATUS: frozenset({Event.STATUS, Event.REOPENED}),
    Change.FINISH: frozenset({Event.STATUS, Event.REOPENED, EntryKind.MESSAGE}),
    Change.REPLY: frozenset(),
    Change.NOTE: frozenset(),
    Change.COLLABORATORS: frozenset(),
}
# The entries a reply's author should read before it goes: someone else's words.
WORDS = (EntryKind.MESSAGE, EntryKind.RESPONSE, EntryKind.NOTE)


class ChangedMeanwhile(Exception):
    """The change was made against an older version and something that happened since conflicts with it.
    ``changes`` says, one sentence each, everything that happened since the page was loaded."""

    def __init__(self, changes: Sequence[str]):
        self.changes = list(changes)
        super().__init__(since_you_opened(self.changes))


class NewEntriesArrived(Exception):
    """A reply was about to go out after others wrote on the ticket (``entries``, oldest first); it was not
    sent. Posting it again with the newest of them as the entry seen sends it."""

    def __init__(self, entries: Sequence[ThreadEntry]):
        self.entries = list(entries)
        super().__init__("A new entry arrived while you were writing.")


def since_you_opened(changes: Sequence[str]) -> str:
    if not changes:
        return "This ticket was changed since you opened this page."
    return "Since you opened this page: " + "; ".join(changes) + "."


def entries_since(ticket: Ticket | int, seen_entry_id: int) -> QuerySet[ThreadEntry]:
    """The thread entries written after the one a page showed, oldest first (the thread's index)."""
    pk = ticket if isinstance(ticket, int) else ticket.pk
    return ThreadEntry.objects.filter(ticket_id=pk, id__gt=seen_entry_id).order_by("created_at", "id")


def new_words_since(
    ticket: Ticket | int, seen_entry_id: int, *, reader_agent_id: int | None
) -> list[ThreadEntry]:
    """Messages, responses and notes written after ``seen_entry_id`` by anyone but the reader, with their
    authors and attachments, for the reply collision warning (and for a page that polls for them)."""
    entries = entries_since(ticket, seen_entry_id).filter(kind__in=WORDS)
    if reader_agent_id is not None:
        entries = entries.exclude(author_agent_id=reader_agent_id)
    return list(
        entries.select_related("author_agent__user", "author_requester").prefetch_related("attachments")
    )


def _conflicting(entry: ThreadEntry, changes: Iterable[Change]) -> bool:
    marker = entry.event if entry.kind == EntryKind.EVENT else entry.kind
    return any(marker in CONFLICTS[change] for change in changes)


def require_current(
    ticket: Ticket, changes: Iterable[Change], *, expected_version: int | None, seen_entry_id: int | None
) -> None:
    """Refuse (ChangedMeanwhile) a change made against an older version when something that happened since
    conflicts with it. ``ticket`` is the row locked by the caller's transaction. No version: no check. A
    version without the entry seen cannot say what happened since and is refused whenever it is old."""
    wanted = list(changes)
    if expected_version is None or expected_version == ticket.version:
        return
    if not any(CONFLICTS[change] for change in wanted):
        return  # a note, a CC, a reply's text: merged whatever happened
    if seen_entry_id is None:
        raise ChangedMeanwhile([])
    since = list(entries_since(ticket, seen_entry_id))
    if any(_conflicting(entry, wanted) for entry in since):
        raise ChangedMeanwhile([sentence for entry in since if (sentence := describe(entry))])


def require_read(
    ticket: Ticket, *, expected_version: int | None, seen_entry_id: int | None, reader_agent_id: int | None
) -> None:
    """Hold a reply back (NewEntriesArrived) when others wrote on the ticket after the entry the page
    showed. A version still current means nothing was written: no query."""
    if seen_entry_id is None or expected_version == ticket.version:
        return
    arrived = new_words_since(ticket, seen_entry_id, reader_agent_id=reader_agent_id)
    if arrived:
        raise NewEntriesArrived(arrived)


# What happened, in a few words ---------------------------------------------------------------------------


def _assignee(agent: events.Ref | None, team: events.Ref | None) -> str:
    names = [name for name in (agent and agent.name, team and f"team {team.name}") if name]
    return " and ".join(names) or "nobody"


def _assigned(data: events.Assigned, entry: ThreadEntry) -> str:
    author = entry.author_name
    if data.pool is not None or data.topic is not None:
        return f"it was assigned to {_assignee(data.agent, data.team)}"
    team_kept = data.team is None or (
        data.previous_team is not None and data.team.id == data.previous_team.id
    )
    if data.agent is not None and data.agent.id == entry.author_agent_id and team_kept:
        return f"{author} took it"
    return f"{author} assigned it to {_assignee(data.agent, data.team)}"


def _event(data: events.EventData, entry: ThreadEntry) -> str:
    author = entry.author_name
    match data:
        case events.Assigned():
            return _assigned(data, entry)
        case events.Unassigned():
            return f"{author} unassigned it"
        case events.Transferred():
            return f"{author} transferred it to {data.department.name}"
        case events.PriorityChanged():
            return f"{author} set the priority to {data.priority.name}"
        case events.SLAPlanChanged():
            return f"{author} set the SLA plan to {data.sla_plan.name if data.sla_plan else 'none'}"
        case events.StatusChanged():
            return f"{author} set the status to {data.status.name}"
        case events.Reopened():
            return f"{author} reopened it ({data.status.name})"
        case events.CollaboratorAdded():
            return f"{author} copied {data.requester.name}"
        case events.CollaboratorRemoved():
            return f"{author} removed {data.requester.name} from the copies"
        case events.MarkedOverdue():
            return "it was marked overdue"
        case events.SLAWarning():
            return "an SLA target came near"
        case events.RuleApplied():
            return f"filter rule {data.rule.name} changed it"
        case events.Bounced():
            return f"an email to {data.recipient} bounced"
        case events.AccessLinksRevoked():
            return f"{author} revoked its access links"
    return ""


def describe(entry: ThreadEntry) -> str:
    """One short clause for an entry written meanwhile, e.g. "Ivan set the priority to High"."""
    if entry.kind == EntryKind.MESSAGE:
        return f"{entry.author_name} wrote a message"
    if entry.kind == EntryKind.RESPONSE:
        return f"{entry.author_name} replied"
    if entry.kind == EntryKind.NOTE:
        return f"{entry.author_name} added an internal note"
    try:
        data = events.payload_of(entry.event, entry.data or {})
    except (KeyError, ValueError):
        return f"{entry.author_name} changed it"
    return _event(data, entry)
