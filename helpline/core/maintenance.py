"""Keeping the database's query planner informed as tables grow."""

from django.db import connection


def refresh_planner_statistics() -> str:
    """Refresh the statistics the query planner chooses indexes by.

    SQLite never gathers them on its own: without them it may walk a state index for an agent's queue
    instead of the assignee index (measured: 0.27 s against 0.10 s at a million tickets). The sampling
    limit keeps the run to seconds at that size. PostgreSQL's autovacuum analyzes by itself."""
    if connection.vendor != "sqlite":
        return "skipped: the server keeps its own statistics"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("ANALYZE")
    return "analyzed"
