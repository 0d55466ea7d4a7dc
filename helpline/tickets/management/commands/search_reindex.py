"""``manage.py search_reindex [--since DATE] [--batch N]``: rebuild the tickets' search text.

Without ``--since`` every ticket is indexed again (after an upgrade that added search, or to repair the
index); with it only those updated since that date or time. In batches of ``--batch`` tickets, each in its
own transaction, so memory stays constant and the site keeps working meanwhile.
"""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from helpline.tickets.search.indexing import BATCH, optimize, reindex


def parse_since(value: str) -> datetime:
    """A date (midnight in the desk's time zone) or a date and time (ISO 8601)."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        moment = datetime.combine(day, time.min)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Rebuild the full-text search index of tickets, all of them or those updated since a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="only tickets updated since this date (YYYY-MM-DD[THH:MM])")
        parser.add_argument("--batch", type=int, default=BATCH, help=f"tickets per transaction ({BATCH})")

    def handle(self, *args, since: str | None, batch: int, **options) -> None:
        try:
            moment = parse_since(since) if since else None
        except ValueError:
            raise CommandError(f"--since: {since!r} is not a date (YYYY-MM-DD) or a date and time.") from None
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        done = reindex(since=moment, batch=batch)
        if moment is None:
            optimize()
        self.stdout.write(f"Indexed {done} ticket{'s' if done != 1 else ''}.")
