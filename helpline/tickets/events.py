"""What each kind of thread event records: one typed payload per event kind, checked when written.

Events refer to agents, teams, departments, priorities, statuses, plans and requesters by id, with the name as it
was at the time (``Ref``), so reports, webhooks and the API can follow them while the thread still reads well
after a rename. ``record_event`` (in the actions) takes one of these payloads; ``payload_of`` reads one back.
"""

from datetime import date
from typing import ClassVar, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict

from helpline.catalog.models import State
from helpline.people.actors import ActorKind, ActorRef
from helpline.tickets.models import Event, Source


class Ref(BaseModel):
    """A row referred to by an event: its id and its name when the event happened."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int | None
    name: str

    @classmethod
    def of(cls, row: object) -> Self:
        name = getattr(row, "display_name", None) or getattr(row, "name", None) or str(row)
        return cls(id=getattr(row, "pk", None), name=str(name))

    @classmethod
    def maybe(cls, row: object | None) -> Self | None:
        return None if row is None else cls.of(row)


class PersonRef(Ref):
    email: str

    @classmethod
    def of(cls, row: object) -> Self:
        return cls(id=getattr(row, "pk", None), name=str(getattr(row, "name", "")), email=str(row.email))  # type: ignore[attr-defined]


class ActorData(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ActorKind
    id: int | None
    name: str
    channel: str = ""

    @classmethod
    def of(cls, ref: ActorRef) -> Self:
        return cls(kind=ref.kind, id=ref.id, name=ref.name, channel=ref.channel)


class EventData(BaseModel):
    """The payload of one event kind. Subclasses name their kind; unknown fields are refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: ClassVar[Event]


class Created(EventData):
    kind = Event.CREATED
    source: Source
    # Who entered it when that was not the requester (an agent on the phone, the email intake, an API key).
    entered_by: ActorData | None = None
    # The finished ticket this one follows up (a reply by email to a ticket closed too long ago).
    follow_up_of: Ref | None = None


class Assigned(EventData):
    kind = Event.ASSIGNED
    agent: Ref | None
    team: Ref | None
    previous_agent: Ref | None = None
    previous_team: Ref | None = None
    # Set when the help topic (not a person) chose the assignee.
    topic: Ref | None = None
    # Set when a department's or team's strategy handed the ticket out: the pool, and how (round-robin...).
    pool: Ref | None = None
    strategy: str = ""


class Unassigned(EventData):
    kind = Event.UNASSIGNED
    previous_agent: Ref | None = None
    previous_team: Ref | None = None


class Transferred(EventData):
    kind = Event.TRANSFERRED
    department: Ref
    previous: Ref


class PriorityChanged(EventData):
    kind = Event.PRIORITY
    priority: Ref
    previous: Ref


class SLAPlanChanged(EventData):
    kind = Event.SLA
    sla_plan: Ref | None
    previous: Ref | None
    due_at: AwareDatetime | None


class StatusChanged(EventData):
    kind = Event.STATUS
    status: Ref
    previous: Ref
    state: State
    previous_state: State


class Reopened(EventData):
    kind = Event.REOPENED
    status: Ref
    previous: Ref
    state: Literal[State.OPEN, State.PENDING]
    previous_state: Literal[State.RESOLVED, State.CLOSED]


class MarkedOverdue(EventData):
    kind = Event.OVERDUE
    due_at: AwareDatetime
    # Which target was missed: the first response or the resolution.
    target: Literal["first_response", "resolution"] = "resolution"


class SLAWarning(EventData):
    """A target is near (the plan's warning threshold of it passed)."""

    kind = Event.SLA_WARNING
    due_at: AwareDatetime
    target: Literal["first_response", "resolution"] = "resolution"


class RuleApplied(EventData):
    """A filter rule matched and changed the ticket as it opened (or on a new message): what it set."""

    kind = Event.RULE
    rule: Ref
    changes: list[str]


class CollaboratorAdded(EventData):
    kind = Event.COLLABORATOR
    requester: PersonRef


class CollaboratorRemoved(EventData):
    kind = Event.COLLABORATOR_REMOVED
    requester: PersonRef


class AccessLinksRevoked(EventData):
    """The private links sent so far stopped opening the ticket (its access secret was replaced)."""

    kind = Event.LINKS_REVOKED


class Bounced(EventData):
    """An email Helpline sent about the ticket could not be delivered (a delivery report came back)."""

    kind = Event.BOUNCED
    recipient: str
    status: str
    diagnostic: str
    message_id: str


class TaskAdded(EventData):
    """A task on the ticket: what, for whom, by when."""

    kind = Event.TASK_ADDED
    task: Ref
    assignee: Ref | None
    due_on: date | None


class TaskChanged(EventData):
    kind = Event.TASK_CHANGED
    task: Ref
    changes: list[str]


class TaskDone(EventData):
    """A task ticked done (``done``), or opened again."""

    kind = Event.TASK_DONE
    task: Ref
    done: bool


class TaskDeleted(EventData):
    kind = Event.TASK_DELETED
    task: Ref


class TicketRef(BaseModel):
    """Another ticket an event names: its id, and its number and subject when the event happened."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    number: str
    subject: str

    @classmethod
    def of(cls, ticket: object) -> Self:
        return cls(id=ticket.pk, number=ticket.number, subject=ticket.subject)  # type: ignore[attr-defined]


class MergedInto(EventData):
    """This ticket was merged into ``target``: its conversation moved there, and it was closed."""

    kind = Event.MERGED_INTO
    target: TicketRef


class MergedFrom(EventData):
    """``source`` was merged into this ticket: ``entries`` of its messages, responses and notes moved here."""

    kind = Event.MERGED_FROM
    source: TicketRef
    entries: int


class Linked(EventData):
    kind = Event.LINKED
    other: TicketRef


class Unlinked(EventData):
    kind = Event.UNLINKED
    other: TicketRef


class SplitTo(EventData):
    """A message of this ticket (``entry_id``) was copied into the new ticket ``new``."""

    kind = Event.SPLIT_TO
    new: TicketRef
    entry_id: int


class SplitFrom(EventData):
    """This ticket began as a message (``entry_id``) of ``original``."""

    kind = Event.SPLIT_FROM
    original: TicketRef
    entry_id: int


class FieldChange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    field: Ref
    before: str
    after: str


class FieldsChanged(EventData):
    """Custom field values changed: each field's value before and after, as the page showed them."""

    kind = Event.FIELDS
    changes: list[FieldChange]


PAYLOADS: dict[str, type[EventData]] = {
    payload.kind.value: payload
    for payload in (
        Created,
        Assigned,
        Unassigned,
        Transferred,
        PriorityChanged,
        SLAPlanChanged,
        StatusChanged,
        Reopened,
        MarkedOverdue,
        CollaboratorAdded,
        CollaboratorRemoved,
        Bounced,
        SLAWarning,
        RuleApplied,
        TaskAdded,
        TaskChanged,
        TaskDone,
        TaskDeleted,
        MergedInto,
        MergedFrom,
        Linked,
        Unlinked,
        SplitTo,
        SplitFrom,
        FieldsChanged,
        AccessLinksRevoked,
    )
}
assert set(PAYLOADS) == set(Event.values), "every event kind has exactly one payload"


def payload_of(event: str, data: dict) -> EventData:
    """The typed payload of a stored event. Raises pydantic's ValidationError for data of another shape."""
    return PAYLOADS[event].model_validate(data)


def as_json(payload: EventData) -> dict:
    return payload.model_dump(mode="json", exclude_none=False)
