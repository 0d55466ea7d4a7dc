from django.db import connection

from helpline.core.tasks import refresh_planner_statistics_nightly


def test_the_nightly_job_gathers_planner_statistics(ticket):
    result = refresh_planner_statistics_nightly.call_local()
    if connection.vendor == "sqlite":
        assert result == "analyzed"
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'tickets_ticket'")
            assert cursor.fetchone()[0] > 0
    else:
        assert result.startswith("skipped")
