"""``manage.py run_batch_writer``: the process that runs the doors' ticket openings in lots on SQLite
(``core.sqlite.batching``). Runs until SIGTERM or SIGINT; without it, each door opens its own tickets."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from helpline.core.sqlite import batch_writer, batching


class Command(BaseCommand):
    help = "Run the doors' ticket openings in lots, one SQLite transaction a lot (SQLite only)."

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            raise CommandError("The batch writer is for SQLite; on PostgreSQL each door writes on its own.")
        path = batching.socket_path(str(connection.settings_dict["NAME"]))
        if path is None:
            raise CommandError("The database's path is too long for the writer's socket beside it.")
        self.stdout.write(f"Batch writer listening on {path}")
        self.stdout.flush()
        writer = batch_writer.serve_forever(path)
        self.stdout.write(
            f"Batch writer stopped: {writer.calls} calls in {writer.lots} lots, "
            f"{writer.handed_back} handed back to their doors."
        )
