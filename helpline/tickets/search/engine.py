"""The two full-text engines behind one shape: the match (a subquery of ticket ids), the ranked join, and
the snippets of a page of tickets. Everything user-typed arrives as bound parameters built by ``terms``.

SQLite reads the FTS5 table ``tickets_search_fts`` (ranked by bm25, lower is better); PostgreSQL the GIN
indexed tsvector columns of ``tickets_searchdocument`` (ranked by ts_rank_cd, higher is better). Those who
may not read internal notes search the columns without them.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from helpline.tickets.models import Ticket
from helpline.tickets.search.indexing import MARK_END, MARK_START
from helpline.tickets.search.terms import Term, fts5_query, tsquery_parts

FTS = "tickets_search_fts"
DOCUMENTS = "tickets_searchdocument"
# bm25 weights of the FTS5 columns: subject, labels (number, names, emails, file names), public text, notes.
BM25 = f"bm25({FTS}, 10.0, 4.0, 1.0, 1.0)"
PUBLIC_COLUMNS = "{subject labels public_text}"
SNIPPET_WORDS = 24
# Ranking reads every match's statistics: at a million tickets a word in 5% of them is 50,000 matches, 0.36 s
# to rank on SQLite and 1.5 s on PostgreSQL. So the ranking looks at the newest RANK_WINDOW or so matching
# tickets (all of them when fewer match, as for any rare word), whatever the number of tickets. SQLite's FTS5
# finds that window exactly, walking the word's list of ticket ids backwards. PostgreSQL's GIN index gives no
# order (finding the newest matches that way cost as much as ranking them all), but its planner knows how
# often each word occurs (the statistics ANALYZE keeps of a tsvector column): when it expects more than
# RANK_WINDOW matches, the ranking keeps to the newest ids in that proportion (a word in 5% of a million
# tickets: the newest 100,000 ids, about 5,000 matches).
RANK_WINDOW = 5000


@dataclass(frozen=True)
class Match:
    """A parsed search for one reader: whether the notes count, and the terms."""

    terms: Sequence[Term]
    with_notes: bool

    def _fts5(self) -> str:
        query = fts5_query(list(self.terms))
        return query if self.with_notes else f"{PUBLIC_COLUMNS} : ({query})"

    def _tsquery(self) -> tuple[str, str, list[str]]:
        vector = "full_vector" if self.with_notes else "public_vector"
        tsquery, params = tsquery_parts(list(self.terms))
        return f"{DOCUMENTS}.{vector}", tsquery, params

    def ticket_ids_sql(self) -> tuple[str, list[str]]:
        """A subquery of the matching tickets' ids."""
        if connection.vendor == "sqlite":
            return f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [self._fts5()]  # noqa: S608
        vector, tsquery, params = self._tsquery()
        return f"SELECT ticket_id FROM {DOCUMENTS} WHERE {vector} @@ {tsquery}", params  # noqa: S608

    def ranked(self, tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
        """``tickets`` joined to the index, most relevant first (then most recently updated), on SQLite
        among the newest RANK_WINDOW matches: one query in which the full-text engine finds the matches and the
        tickets table is read by primary key."""
        if connection.vendor == "sqlite":
            query = self._fts5()
            window = (
                f"{FTS}.rowid >= COALESCE((SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s "  # noqa: S608
                f"ORDER BY rowid DESC LIMIT 1 OFFSET {RANK_WINDOW - 1}), 0)"
            )
            joined = tickets.extra(  # noqa: S610 - fixed SQL; the search terms are bound parameters
                tables=[FTS],
                where=[f"{FTS}.rowid = tickets_ticket.id", f"{FTS} MATCH %s", window],
                params=[query, query],
                select={"search_rank": BM25},
            )
            return joined.order_by("search_rank", "-updated_at", "-pk")
        vector, tsquery, params = self._tsquery()
        where = [f"{DOCUMENTS}.ticket_id = tickets_ticket.id", f"{vector} @@ {tsquery}"]
        share = self._newest_share(vector, tsquery, params)
        if share < 1:
            # The newest ids in that share of the range (read from the primary key's two ends), as a whole
            # number: compared with a decimal, ticket_id would be cast and its index not used (0.8 s, not 50 ms).
            where.append(
                f"{DOCUMENTS}.ticket_id >= (SELECT CAST(MAX(ticket_id) - (MAX(ticket_id) - MIN(ticket_id)) * "  # noqa: S608
                f"{share:.6f} AS bigint) FROM {DOCUMENTS})"
            )
        joined = tickets.extra(  # noqa: S610 - fixed SQL; the search terms are bound parameters
            tables=[DOCUMENTS],
            where=where,
            params=params,
            select={"search_rank": f"ts_rank_cd({vector}, {tsquery})"},
            select_params=params,
        )
        return joined.order_by("-search_rank", "-updated_at", "-pk")

    @staticmethod
    def _newest_share(vector: str, tsquery: str, params: list[str]) -> float:
        """The share of the newest ids in which about RANK_WINDOW tickets match, from the number of matches
        the planner expects (1: rank them all)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {DOCUMENTS} WHERE {vector} @@ {tsquery}",  # noqa: S608
                params,
            )
            plan = cursor.fetchone()[0]
        expected = float((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])
        return min(1.0, RANK_WINDOW / expected) if expected > RANK_WINDOW else 1.0

    def snippets(self, ticket_ids: list[int]) -> dict[int, str]:
        """The highlighted passage of each ticket (marked with MARK_START/MARK_END, not yet escaped), in
        one query for the page's tickets only: building a snippet reads the text again."""
        if not ticket_ids:
            return {}
        marks = [MARK_START, MARK_END, " … "]
        holders = ", ".join(["%s"] * len(ticket_ids))
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    f"SELECT rowid, snippet({FTS}, -1, %s, %s, %s, {SNIPPET_WORDS}) FROM {FTS} "  # noqa: S608
                    f"WHERE {FTS} MATCH %s AND rowid IN ({holders})",
                    [*marks, self._fts5(), *ticket_ids],
                )
            else:
                _, tsquery, params = self._tsquery()
                text = "public_text || ' ' || internal_text" if self.with_notes else "public_text"
                options = (
                    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, MinWords=8, "
                    'MaxFragments=2, FragmentDelimiter=" … "'
                )
                cursor.execute(
                    f"SELECT ticket_id, ts_headline('english', left({text}, 50000), {tsquery}, %s) "  # noqa: S608
                    f"FROM {DOCUMENTS} WHERE ticket_id IN ({holders})",
                    [*params, options, *ticket_ids],
                )
            return dict(cursor.fetchall())
