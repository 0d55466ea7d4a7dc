from django.db import connection

from helpline.core.tasks import refresh_planner_statistics_nightly


def planner_statistics_rows(table: str) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            if "sqlite_stat1" not in connection.introspection.table_names(cursor):
                return 0  # made by the first ANALYZE
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT COUNT(*) FROM pg_stats WHERE tablename = %s", [table])
        return cursor.fetchone()[0]


def test_the_nightly_job_gathers_planner_statistics(ticket):
    assert planner_statistics_rows("tickets_ticket") == 0
    assert refresh_planner_statistics_nightly.call_local() == "analyzed"
    assert planner_statistics_rows("tickets_ticket") > 0
