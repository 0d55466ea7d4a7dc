"""Building each ticket's search text and keeping it current.

The ticket actions call ``handover.reindex_on_commit`` after a change that adds to what a ticket is found
by (a thread entry, an attachment); the task queue then rebuilds that ticket's text. This is done in the
background, not in the request: rebuilding reads the whole thread again (up to hundreds of entries of up to
100,000 characters each) and rewrites the full-text index, a cost that grows with the ticket, while the
request's own work does not. A lost task is made good by ``catch_up`` (the periodic task), which compares
each recently updated ticket with the ``updated_at`` its text was built from; ``reindex`` rebuilds
everything, or what changed since a date, in batches (``manage.py search_reindex``).
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from helpline.catalog.models import State
from helpline.core.prepared import PreparedIn
from helpline.tickets.models import Attachment, EntryKind, FieldValue, SearchDocument, ThreadEntry, Ticket

BATCH = 500
# Enough text for any real thread; bounded so that a PostgreSQL tsvector (at most 1 MB) always fits.
MAX_FIELD_CHARS = 200_000
# The highlight marks of snippets (private-use characters): never part of the indexed text, so the text
# itself cannot open or close a highlight.
MARK_START, MARK_END = "\ue000", "\ue001"
_UNWANTED = str.maketrans({"\x00": " ", MARK_START: " ", MARK_END: " "})
# How far back the periodic catch-up looks for tickets whose text is behind.
CATCH_UP_WINDOW = timedelta(hours=2)
_WORDS = re.compile(r"\w+")


def clean(text: str) -> str:
    return text.translate(_UNWANTED)[:MAX_FIELD_CHARS]


def reindex_in_batches(ticket_ids: list[int]) -> None:
    """Queue these tickets' text to be rebuilt, BATCH a task, whatever their versions say (what they are
    found by changed outside them: a requester's name or address)."""
    from helpline.tickets.tasks import index_tickets_task

    for start in range(0, len(ticket_ids), BATCH):
        index_tickets_task(ticket_ids[start : start + BATCH])


def reindex_requester_on_commit(requester_id: int) -> None:
    """Once the change commits, the requester's tickets are found by their new name and address."""
    transaction.on_commit(
        lambda: reindex_in_batches(
            list(Ticket.objects.filter(requester_id=requester_id).values_list("pk", flat=True))
        )
    )


def requester_saved(sender: object, instance, created: bool, update_fields=None, **kwargs: object) -> None:
    """``post_save`` of a requester (any door: the administration's page, the API, a script): a changed
    name or address is in their tickets' search text."""
    if created or (update_fields is not None and not {"name", "email"} & set(update_fields)):
        return
    reindex_requester_on_commit(instance.pk)


def index_tickets(ticket_ids: Iterable[int], *, only_stale: bool = False) -> int:
    """Rebuild the search text of these tickets (those that still exist) in one transaction; returns how
    many were indexed. Each ticket's updated_at and version are read before its thread, so the text is at
    least as new as what it records. ``only_stale``: leave out the tickets whose text was built from their
    current version already (by a lot of notifications that took them with others, ``notifications``);
    what they are found by changes only with a change that bumps the version."""
    ids = list(ticket_ids)
    if not ids:
        return 0
    if only_stale and not _STALE_TICKETS.rows(ids):
        # Read outside a transaction, which on SQLite takes the write lock at BEGIN: under load most
        # tasks find their ticket's text built by a worker that took it with others, and wait for nobody.
        return 0
    now = timezone.now()
    with transaction.atomic():
        tickets = (_STALE_TICKETS if only_stale else _TICKETS).rows(ids)
        if not tickets:
            return 0
        found = [row[0] for row in tickets]
        bodies: dict[tuple[int, bool], list[str]] = defaultdict(list)
        for ticket_id, kind, body in _ENTRIES.rows(found):
            bodies[ticket_id, kind != EntryKind.NOTE].append(body)
        for ticket_id, public, label, text, long_text, number, day in _FIELD_VALUES.rows(found):
            bodies[ticket_id, public].append(f"{label}: {_shown_value(text, long_text, number, day)}")
        files: dict[int, list[str]] = defaultdict(list)
        for ticket_id, filename in _FILES.rows(found):
            files[ticket_id].append(filename)
        documents = [
            SearchDocument(
                ticket_id=pk,
                subject=clean(subject),
                labels=clean(_labels(number, name, email, files.get(pk, []))),
                public_text=clean("\n\n".join(bodies[pk, True])),
                internal_text=clean("\n\n".join(bodies[pk, False])),
                source_updated_at=updated_at,
                source_version=version,
                indexed_at=now,
            )
            for pk, number, subject, updated_at, version, name, email in tickets
        ]
        SearchDocument.objects.filter(ticket_id__in=found).delete()
        SearchDocument.objects.bulk_create(documents)
    return len(documents)


# Each query of what the text is built from, for a lot of tickets and, compiled once, for the one ticket
# a change queued (most runs).
def _ticket_rows(which: Q) -> QuerySet:
    return Ticket.objects.filter(which).values_list(
        "pk", "number", "subject", "updated_at", "version", "requester__name", "requester__email"
    )


_TICKETS = PreparedIn("pk", _ticket_rows)
# Those whose text is missing or older than their version.
_STALE_TICKETS = PreparedIn(
    "pk",
    lambda which: _ticket_rows(
        which
        & (
            Q(search_document__isnull=True)
            | Q(search_document__source_version__isnull=True)
            | Q(search_document__source_version__lt=F("version"))
        )
    ),
)
# Thread texts in order: messages and responses are public, notes internal; events carry no text.
_ENTRIES = PreparedIn(
    "ticket_id",
    lambda which: (
        ThreadEntry.objects.filter(which)
        .exclude(kind=EntryKind.EVENT)
        .exclude(body_text="")
        .order_by("ticket_id", "created_at", "id")
        .values_list("ticket_id", "kind", "body_text")
    ),
)
# Custom field values, as "label: value" lines: with the public text for the fields requesters see, with
# the internal text for the others (checkboxes carry no words worth finding).
_FIELD_VALUES = PreparedIn(
    "ticket_id",
    lambda which: (
        FieldValue.objects.filter(which)
        .exclude(field__kind="checkbox")
        .order_by("ticket_id", "field_id")
        .values_list("ticket_id", "field__is_public", "field__label", "text", "long_text", "number", "date")
    ),
)
_FILES = PreparedIn(
    "entry__ticket_id",
    lambda which: Attachment.objects.filter(which).values_list("entry__ticket_id", "filename"),
)


def _shown_value(text: str, long_text: str, number, day) -> str:
    value = text or long_text or (format(number.normalize(), "f") if number is not None else "")
    return value or (day.isoformat() if day else "")


def _labels(number: str, name: str, email: str, file_names: list[str]) -> str:
    """The number, names, address and file names, each also as its separate words: PostgreSQL's parser
    keeps an address or a file name as one token, so "rita" or "screenshot" would not find them."""
    whole = [number, name, email, *file_names]
    return " ".join(whole + [" ".join(_WORDS.findall(" ".join([email, *file_names])))])


def reindex(*, since: datetime | None = None, batch: int = BATCH, progress=None) -> int:
    """Rebuild the text of every ticket (or of those updated since ``since``), ``batch`` tickets a
    transaction, walking the primary key so that memory stays constant. Returns how many were indexed."""
    done = 0
    for ids in _id_batches(since, batch):
        done += index_tickets(ids)
        if progress:
            progress(done)
    return done


def _id_batches(since: datetime | None, batch: int) -> Iterator[list[int]]:
    if since is None:  # every ticket, along the primary key
        last = 0
        while ids := list(
            Ticket.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]
        ):
            yield ids
            last = ids[-1]
        return
    for state in State:  # along the (state, updated_at, id) index, from ``since`` on
        after = Q(updated_at__gte=since)
        while rows := list(
            Ticket.objects.filter(after, state=state)
            .order_by("updated_at", "pk")
            .values_list("updated_at", "pk")[:batch]
        ):
            yield [pk for _, pk in rows]
            updated, pk = rows[-1]
            after = Q(updated_at__gte=updated) & (Q(updated_at__gt=updated) | Q(pk__gt=pk))


def _updated_since(since: datetime):
    # One range of a (state, updated_at) index per state, rather than a scan of the table.
    condition = Q()
    for state in State:
        condition |= Q(state=state, updated_at__gte=since)
    return Ticket.objects.filter(condition)


def stale_ticket_ids(since: datetime) -> list[int]:
    """Tickets updated since ``since`` whose text is missing or was built from an older updated_at."""
    return list(
        _updated_since(since)
        .filter(Q(search_document__isnull=True) | Q(search_document__source_updated_at__lt=F("updated_at")))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def catch_up(window: timedelta = CATCH_UP_WINDOW) -> int:
    """Index the recently updated tickets whose text is behind (a task lost, a worker killed)."""
    ids = stale_ticket_ids(timezone.now() - window)
    return sum(index_tickets(ids[start : start + BATCH]) for start in range(0, len(ids), BATCH))


def optimize() -> None:
    """After a bulk load or a full rebuild: merge SQLite's FTS5 segments into one (FTS5 otherwise merges
    a few at a time as rows arrive) so that a search reads one b-tree per word. PostgreSQL's GIN index
    needs nothing of the kind (its pending list is merged by VACUUM)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO tickets_search_fts(tickets_search_fts) VALUES ('optimize')")
