"""Reading tickets: the list (the staff queues' filters and sorts, keyset pages), search, one ticket with
its thread. Everything is read through ``visible_tickets``: a ticket the caller may not see is 404, as one
that does not exist."""

from datetime import date
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.http import quote_etag
from ninja import Query, Router
from pydantic import Field

from helpline.api.auth import require_scope
from helpline.api.errors import ApiError, Error
from helpline.api.models import Scope
from helpline.api.schemas import (
    TICKET_RELATIONS,
    Email,
    Id,
    Input,
    TicketPage,
    TicketWithThread,
    entry_out,
    ticket_out,
)
from helpline.catalog.models import State
from helpline.core.pagination import keyset_page
from helpline.people.actors import Actor
from helpline.people.models import Agent
from helpline.tickets.filtering import FIRST_DAY, LAST_DAY, TicketFilters
from helpline.tickets.models import Ticket
from helpline.tickets.policy import reads_internal
from helpline.tickets.queries import thread_for, visible_tickets
from helpline.tickets.search import search_tickets

router = Router(tags=["tickets"])

# The staff lists' sort keys (staff.sorting.SORTS), each served by a (state, column, id) index.
SORTS = {
    "updated": "updated_at",
    "created": "created_at",
    "number": "number",
    "priority": "urgency",
    "due": "due_at",
}
SortKey = Literal[
    "updated", "-updated", "created", "-created", "number", "-number", "priority", "-priority", "due", "-due"
]
MAX_PAGE = 100
# The days the staff filter form accepts: beyond them a day's bounds in some zones do not fit a datetime.
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]


class ListParams(Input):
    state: Literal["open", "pending", "resolved", "closed"] | None = Field(None, description="One state.")
    department: Id | None = None
    topic: Id | None = None
    status: Id | None = None
    priority: Id | None = None
    assignee: str = Field("", pattern=r"^(|none|me|[0-9]{1,18})$", description="An agent's id, none or me.")
    team: Id | None = None
    source: Literal["web", "email", "phone", "api", "agent", ""] = ""
    requester: Email | None = Field(None, description="The requester's email address.")
    organization: str = Field("", max_length=200)
    created_from: Day | None = None
    created_to: Day | None = None
    updated_from: Day | None = None
    updated_to: Day | None = None
    due_from: Day | None = None
    due_to: Day | None = None
    overdue: bool = False
    sort: SortKey = "-updated"
    cursor: str | None = Field(None, max_length=200, description="The `next_cursor` of the previous page.")
    limit: int = Field(25, ge=1, le=MAX_PAGE)

    def filters(self) -> TicketFilters:
        values = self.dict(exclude={"state", "sort", "cursor", "limit"})
        values["requester"] = values["requester"] or ""
        for bound in ("created", "updated", "due"):
            start, end = values[f"{bound}_from"], values[f"{bound}_to"]
            if start and end and start > end:
                raise ApiError(422, f"{bound}_to must be on or after {bound}_from.", f"{bound}_to")
        return TicketFilters(**values)


def _page(tickets: QuerySet[Ticket], sort: str, cursor: str | None, limit: int) -> dict:
    """The page's ids first (the sort's index alone: with the rows it names joined in, SQLite's planner
    left the index and sorted the whole table, 2.5 s at a million tickets), then those rows."""
    field = SORTS[sort.removeprefix("-")]
    page = keyset_page(
        tickets.only("pk", field),
        field=field,
        descending=sort.startswith("-"),
        cursor=cursor,
        size=limit,
    )
    # Read again through the same (visible, filtered) queryset: by primary key, so its conditions cost nothing.
    found = tickets.select_related(*TICKET_RELATIONS).in_bulk([row.pk for row in page.rows])
    return {"items": [ticket_out(found[row.pk]) for row in page.rows], "next_cursor": page.next_cursor}


def _agent_of(actor: Actor) -> Agent | None:
    return actor if isinstance(actor, Agent) else None


@router.get(
    "/tickets", response={200: TicketPage, 401: Error, 403: Error, 422: Error}, summary="List tickets"
)
def list_tickets(request: HttpRequest, params: Query[ListParams]) -> dict:
    """The tickets the caller may see, filtered as the staff queues filter, in keyset pages. Tickets
    merged into another are left out (their conversation is in the other)."""
    actor = require_scope(request, Scope.READ).actor
    tickets = visible_tickets(actor).filter(merged_into__isnull=True)
    if params.state:
        tickets = tickets.filter(state=State(params.state))
    narrowed = params.filters().apply(tickets, _agent_of(actor))
    return _page(narrowed, params.sort, params.cursor, params.limit)


class SearchParams(Input):
    q: str = Field(min_length=1, max_length=200, description="Words, a ticket number or an email address.")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(25, ge=1, le=MAX_PAGE)


@router.get(
    "/tickets/search",
    response={200: TicketPage, 401: Error, 403: Error, 422: Error},
    summary="Search tickets",
)
def search(request: HttpRequest, params: Query[SearchParams]) -> dict:
    """What the staff search finds (a number, a requester's address, or words), newest change first."""
    actor = require_scope(request, Scope.READ).actor
    if not params.q.strip():
        raise ApiError(422, "Search for something.", "q")
    return _page(search_tickets(actor, params.q), "-updated", params.cursor, params.limit)


def etag_of(ticket: Ticket, actor: Actor) -> str:
    # What the caller is shown changes with the ticket's version, and differs for those who read notes.
    return quote_etag(f"{ticket.number}.{ticket.version}.{'i' if reads_internal(actor) else 'p'}")


def visible_ticket(actor: Actor, number: str, field: str = "number") -> Ticket:
    """The ticket of that number if the caller may see it; 404 otherwise."""
    if len(number) > 20 or "\x00" in number:
        raise ApiError(404, "No ticket has that number.", field)
    ticket = visible_tickets(actor).select_related(*TICKET_RELATIONS).filter(number=number).first()
    if ticket is None:
        raise ApiError(404, f"No ticket #{number} (or not one you may see).", field)
    return ticket


@router.get(
    "/tickets/{number}",
    response={200: TicketWithThread, 304: None, 401: Error, 403: Error, 404: Error},
    summary="One ticket with its thread",
)
def get_ticket(request: HttpRequest, number: str, response: HttpResponse):
    """The ticket and the thread entries the caller may read (internal notes and events for agents only).
    Answers 304 to an If-None-Match of its current ETag."""
    actor = require_scope(request, Scope.READ).actor
    ticket = visible_ticket(actor, number)
    etag = etag_of(ticket, actor)
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        unchanged = HttpResponse(status=304)
        unchanged["ETag"] = etag
        return unchanged
    response["ETag"] = etag
    thread = [entry_out(entry) for entry in thread_for(actor, ticket)]
    return ticket_out(ticket) | {"thread": thread}
