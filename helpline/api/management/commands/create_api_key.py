"""``manage.py create_api_key NAME [--scope S ...] [--ip CIDR ...] [--expires DATE]``: issue an API key.

The key is printed on the last line, alone, so a script can take it with ``tail -n1``; it is never shown
again (only its hash is kept).
"""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from helpline.api.keys import InvalidKey, issue_key
from helpline.api.models import Scope


def parse_expiry(value: str) -> datetime:
    """A date (the key works through that day, in the desk's time zone) or an ISO 8601 date and time."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        moment = datetime.combine(day, time.max)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Create an API key and print it (once) on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="what the key is for (shown in the administration area)")
        parser.add_argument(
            "--scope",
            action="append",
            choices=Scope.values,
            help="repeat for several; default: tickets:create",
        )
        parser.add_argument("--ip", action="append", default=[], help="an allowed network (CIDR); repeatable")
        parser.add_argument("--expires", help="last day (YYYY-MM-DD) or moment (ISO 8601) the key works")

    def handle(
        self, *args, name: str, scope: list[str] | None, ip: list[str], expires: str | None, **options
    ):
        try:
            expires_at = parse_expiry(expires) if expires else None
        except ValueError:
            raise CommandError(
                f"--expires: {expires!r} is not a date (YYYY-MM-DD) or a date and time."
            ) from None
        try:
            key, raw = issue_key(name, scope or [Scope.CREATE], ip, expires_at)
        except InvalidKey as refusal:
            raise CommandError(str(refusal)) from None
        networks = ", ".join(key.networks) or "anywhere"
        self.stdout.write(f"API key {key.name!r}: scopes {', '.join(key.scopes)}; from {networks}.")
        self.stdout.write("Keep it now: it is not shown again.")
        self.stdout.write(raw)
