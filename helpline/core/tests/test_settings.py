"""Settings read from the environment: the values taken, and a clear error for a bad one."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRINT_DIGITS = "from django.conf import settings; print(settings.HELPLINE_TICKET_NUMBER_DIGITS)"


def load_settings(tmp_path, **env: str) -> subprocess.CompletedProcess:
    """Import the production settings in a fresh process with ``env`` set, and print a value."""
    ours = ("DEBUG", "DATABASE_URL", "HELPLINE_", "SECRET_KEY")
    base = {name: value for name, value in os.environ.items() if not name.startswith(ours)}
    base |= {"DJANGO_SETTINGS_MODULE": "helpline.config.settings", "HELPLINE_DATA_DIR": str(tmp_path)}
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", PRINT_DIGITS],
        cwd=settings.BASE_DIR,
        env=base | {"SECRET_KEY": "x" * 60, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_ticket_numbers_have_eight_digits_unless_told_otherwise(tmp_path):
    assert load_settings(tmp_path).stdout.strip() == "8"
    assert load_settings(tmp_path, HELPLINE_TICKET_NUMBER_DIGITS="12").stdout.strip() == "12"


@pytest.mark.parametrize(
    "value,message",
    [
        ("5", "HELPLINE_TICKET_NUMBER_DIGITS must be at least 6, not 5"),
        ("21", "HELPLINE_TICKET_NUMBER_DIGITS must be at most 20, not 21"),
        ("eight", "HELPLINE_TICKET_NUMBER_DIGITS must be an integer, not 'eight'"),
    ],
)
def test_a_ticket_number_width_out_of_range_is_refused_at_start(tmp_path, value, message):
    result = load_settings(tmp_path, HELPLINE_TICKET_NUMBER_DIGITS=value)
    assert result.returncode != 0
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in result.stderr


def test_new_tickets_get_numbers_of_the_configured_width(settings, open_for, rita, support_topic):
    settings.HELPLINE_TICKET_NUMBER_DIGITS = 12
    number = open_for(rita, support_topic).number
    assert len(number) == 12 and number.isdigit() and number[0] != "0"


def test_the_default_task_queue_commits_without_a_disk_sync_each_time(tmp_path):
    """SQLite's default (FULL) syncs the queue's log on every task queued, holding its lock meanwhile."""
    from huey.utils import load_class

    queue = load_class(settings.HUEY["huey_class"])("helpline", filename=str(tmp_path / "tasks.sqlite3"))
    connection = queue.storage.conn
    assert connection.execute("pragma synchronous").fetchone()[0] == 1  # NORMAL
    assert connection.execute("pragma journal_mode").fetchone()[0] == "wal"
    queue.storage.close()
