"""``manage.py sla_preview PLAN [--priority NAME] [--start 2026-11-20T16:00]``: the due times a ticket opened
then would get from the plan, ISO 8601 in the plan's time zone."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from helpline.catalog.models import Priority
from helpline.sla.durations import format_duration
from helpline.sla.hours import NoOpenTime
from helpline.sla.models import SLAPlan
from helpline.sla.preview import Due, plan_zone, preview_plan, read_start


class Command(BaseCommand):
    help = (
        "Print the first-response and resolution due times a ticket opened at --start (default: now) would "
        "get from an SLA plan, in the plan's time zone. A --start without an offset is read in that zone."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", help="The SLA plan's name.")
        parser.add_argument(
            "--priority", help="The ticket's priority (its name): per-priority targets apply."
        )
        parser.add_argument("--start", help="When the ticket opens, ISO 8601, e.g. 2026-11-20T16:00.")

    def handle(self, *args, plan: str, priority: str | None, start: str | None, **options):
        found = SLAPlan.objects.select_related("schedule").filter(name__iexact=plan.strip()).first()
        if found is None:
            names = ", ".join(SLAPlan.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"No SLA plan named “{plan}”. The plans: {names}.")
        chosen = None
        if priority:
            chosen = Priority.objects.filter(name__iexact=priority.strip()).first()
            if chosen is None:
                names = ", ".join(Priority.objects.values_list("name", flat=True))
                raise CommandError(f"No priority named “{priority}”. The priorities: {names}.")
        zone = plan_zone(found)
        try:
            moment = read_start(start, zone) if start else timezone.now().astimezone(zone)
            preview = preview_plan(found, moment, chosen)
        except (ValueError, NoOpenTime) as error:
            raise CommandError(str(error)) from error
        where = f"schedule {found.schedule.name}" if found.schedule else "24x7, no schedule"
        self.stdout.write(f"SLA plan:       {found.name} ({where}; times in {preview.zone})")
        self.stdout.write(f"Priority:       {chosen.name if chosen else 'any (the plan’s own targets)'}")
        self.stdout.write(f"Opened:         {preview.start.isoformat()}")
        self.stdout.write(f"First response: {_due(preview.first_response)}")
        self.stdout.write(f"Resolution:     {_due(preview.resolution)}")


def _due(due: Due | None) -> str:
    if due is None:
        return "no target"
    warning = f", warning at {due.warning_at.isoformat()}" if due.warning_at else ""
    return f"{due.at.isoformat()}  ({format_duration(due.target)}{warning})"
