"""Timing the periodic SLA check on the seeded database: finding the tickets due for a look (an index range,
whatever the table holds) and checking them (flagging, the event, the alert, the plan's escalation).

``DUE`` open tickets are made due a minute ago, checked as the task checks them, and the whole is rolled
back, so the tables stay as seeded."""

import statistics
import time
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from helpline.catalog.models import State
from helpline.tickets.actions import check_sla_targets
from helpline.tickets.models import Ticket
from helpline.tickets.queries import sla_checks_due

DUE = 200


@dataclass
class SweepResult:
    find_nothing_due_ms: float  # the range ten years back: empty
    find_due_ms: float
    tickets_checked: int
    check_ms_per_ticket: float
    plan: str


class _Rollback(Exception):
    pass


def run_sweep() -> SweepResult:
    now = timezone.now()
    try:
        with transaction.atomic():
            idle = _median_ms(lambda: list(sla_checks_due(now - timedelta(days=3650))[:1000]))
            chosen = list(
                Ticket.objects.filter(state=State.OPEN).order_by("-pk").values_list("pk", flat=True)[:DUE]
            )
            Ticket.objects.filter(pk__in=chosen).update(
                due_at=now - timedelta(minutes=1),
                next_sla_check_at=now - timedelta(minutes=1),
                is_overdue=False,
                sla_running_since=now - timedelta(hours=9),
            )
            busy = _median_ms(lambda: list(sla_checks_due()[:1000]))
            plan = _plan(now)
            due = list(sla_checks_due()[:DUE])
            started = time.perf_counter()
            checked = sum(check_sla_targets(ticket_id=pk) for pk in due)
            per_ticket = (time.perf_counter() - started) * 1000 / max(1, len(due))
            result = SweepResult(idle, busy, checked, per_ticket, plan)
            raise _Rollback
    except _Rollback:
        return result


def _median_ms(query, repeat: int = 20) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        query()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _plan(now) -> str:
    """How the database reads the tickets due: it should name the partial index ``ticket_sla_check``."""
    sql, params = sla_checks_due(now)[:1000].query.sql_with_params()
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return " / ".join(str(row[-1]) for row in cursor.fetchall())


def as_dict(result: SweepResult) -> dict:
    return asdict(result)
