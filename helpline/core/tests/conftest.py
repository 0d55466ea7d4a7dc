"""Fixtures of the core's tests."""

import pytest
from django.db import connections

from helpline.config.settings import DATABASES


@pytest.fixture
def queued(tmp_path, django_db_blocker):
    """The alias of a new SQLite database (in a file) with Helpline's backend and options, open to the
    test (not the suite's test database: the test needs none of it)."""
    alias = "writer_queue"
    options = {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    if DATABASES["default"]["ENGINE"] == "helpline.core.sqlite":
        options = DATABASES["default"]["OPTIONS"]
    database = {
        "ENGINE": "helpline.core.sqlite",
        "NAME": str(tmp_path / "queued.sqlite3"),
        "OPTIONS": options,
    }
    connections.settings[alias] = connections.configure_settings({"default": {}, alias: database})[alias]
    with django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE log (who TEXT, at REAL)")
        yield alias
        connections[alias].close()
    del connections.settings[alias]
    delattr(connections._connections, alias)
