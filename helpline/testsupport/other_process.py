"""Running Helpline's production settings in another process, on this test's database (committed for real:
the test is ``transaction=True``), as a second app server or worker would."""

import json
import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

# The settings an outer environment may hold that would point the other process elsewhere.
OURS = ("DEBUG", "DATABASE_URL", "HELPLINE_", "HUEY_", "EMAIL_URL")


def database_url() -> str:
    """This test's database, as a URL the other process's settings read: the run's server (PostgreSQL) and
    the test database's name, or the SQLite file."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))


def production_env(data_dir, **extra: str) -> dict[str, str]:
    """The environment of another process: the production settings on this test's database, its data in
    ``data_dir``, this run's secret key, and ``extra`` on top."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith(OURS)}
    return clean | {
        "DJANGO_SETTINGS_MODULE": "helpline.config.settings",
        "DATABASE_URL": database_url(),
        "HELPLINE_DATA_DIR": str(data_dir),
        "SECRET_KEY": settings.SECRET_KEY,
        **extra,
    }


def run_script(script: str, *args: str, data_dir, env: dict[str, str]) -> dict:
    """Run ``script`` with the production settings and ``env`` on top; returns the JSON of its last line."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script, *args],
        cwd=settings.BASE_DIR,
        env=production_env(data_dir, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
