"""Finding tickets: by number, by a requester's email address, and by the words of their text.

``search_tickets`` answers with a QuerySet of tickets (to filter further, as queues and lists do);
``search_results`` with a page of them, most relevant first, each with a highlighted snippet, for the
staff search page. Both see only ``visible_tickets(actor)``, and search internal notes only for those the
policy lets read them. What is indexed and how it stays current: ``indexing``; the query syntax: ``terms``.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from helpline.people.actors import Actor
from helpline.people.requesters import requesters_by_email
from helpline.tickets.models import Ticket
from helpline.tickets.policy import reads_internal
from helpline.tickets.queries import visible_tickets
from helpline.tickets.search import terms as search_terms
from helpline.tickets.search.engine import Match
from helpline.tickets.search.indexing import MARK_END, MARK_START

NUMBER = re.compile(r"#?\s*(\d{1,20})")
# The ranked results stop here: ranking costs the same for any page, and nobody reads past the top few
# hundred of a search (they refine it). So "Next page" is bounded work: 20 pages of 25.
MAX_RESULTS = 500

__all__ = ["MAX_RESULTS", "NUMBER", "Hit", "ResultPage", "search_results", "search_tickets"]


def _exact(tickets: QuerySet[Ticket], text: str) -> QuerySet[Ticket] | None:
    """The tickets a number or an email address names exactly, or None when ``text`` is neither."""
    number = NUMBER.fullmatch(text)
    if number:
        return tickets.filter(number=number.group(1))
    if "@" in text and " " not in text and len(text) <= 254:
        return tickets.filter(requester__in=requesters_by_email(text).values("pk"))
    return None


def _match(actor: Actor, text: str) -> Match | None:
    terms = search_terms.parse(text)
    return Match(terms, with_notes=reads_internal(actor)) if terms else None


def search_tickets(actor: Actor, text: str) -> QuerySet[Ticket]:
    """Visible tickets that ``text`` finds: the ticket of that number (a leading # allowed), the tickets of
    the requester with that email address (any letter case), else those whose text matches every word
    (see ``terms`` for phrases and prefixes). A number or address that names nothing is searched as words.
    Unordered by relevance; ``search_results`` ranks."""
    text = text.strip()
    tickets = visible_tickets(actor)
    exact = _exact(tickets, text)
    if exact is not None and exact.exists():
        return exact
    match = _match(actor, text)
    if match is None:
        return tickets.none()
    sql, params = match.ticket_ids_sql()
    return tickets.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - the terms are bound parameters


@dataclass(frozen=True)
class Hit:
    ticket: Ticket
    snippet: SafeString  # the passage that matched, HTML-escaped, with <mark> around the words found


@dataclass(frozen=True)
class ResultPage:
    hits: list[Hit]
    page: int
    has_next: bool


def search_results(
    actor: Actor,
    text: str,
    *,
    page: int = 1,
    size: int = 25,
    relations: tuple[str, ...] = (),
    narrow: Callable[[QuerySet[Ticket]], QuerySet[Ticket]] | None = None,
) -> ResultPage:
    """One page of what ``text`` finds, most relevant first (recently updated first among equals), with
    snippets; a number or an email address lists its tickets, most recently updated first. Pages stop at
    MAX_RESULTS. Two queries whatever the size of the result (plus the visibility look-ups). ``narrow``
    restricts the tickets searched (the list filters) before ranking."""
    text = text.strip()
    page = max(1, min(page, MAX_RESULTS // size))
    start = (page - 1) * size
    tickets = visible_tickets(actor)
    if narrow is not None:
        tickets = narrow(tickets)
    if relations:
        tickets = tickets.select_related(*relations)
    exact = _exact(tickets, text)
    if exact is not None:
        rows = list(exact.order_by("-updated_at", "-pk")[start : start + size + 1])
        if rows or page > 1:
            return _page(rows, {}, page, start, size)
    match = _match(actor, text)
    if match is None:
        return ResultPage([], page, has_next=False)
    rows = list(match.ranked(tickets)[start : start + size + 1])
    return _page(rows, match.snippets([row.pk for row in rows[:size]]), page, start, size)


def _page(rows: list[Ticket], snippets: dict[int, str], page: int, start: int, size: int) -> ResultPage:
    has_next = len(rows) > size and start + size < MAX_RESULTS
    hits = [Hit(row, highlighted(snippets.get(row.pk, ""))) for row in rows[:size]]
    return ResultPage(hits, page, has_next)


def highlighted(raw: str) -> SafeString:
    """The snippet as HTML: every character escaped, then the engine's marks turned into <mark>."""
    html = escape(raw).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    unclosed = html.count("<mark>") - html.count("</mark>")
    return mark_safe(html + "</mark>" * max(0, unclosed))  # noqa: S308 - escaped above
