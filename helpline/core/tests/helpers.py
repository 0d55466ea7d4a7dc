"""Helpers for the core tests: a database that fails in the ways an outage looks to Django."""

from contextlib import contextmanager

import pytest
from django.db import connections
from django.db.backends.utils import CursorWrapper


@contextmanager
def database_unreachable(tmp_path):
    """Point the default connection at a database that cannot be opened, as an outage looks to Django."""
    connection = connections["default"]
    saved = connection.settings_dict["NAME"]
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "no-such-directory" / "helpline.sqlite3")
    else:
        connection.settings_dict["NAME"] = "helpline_no_such_database"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved


@contextmanager
def failing_queries(error: Exception, starting: str = ""):
    """Every query (or every one whose SQL starts with ``starting``) raises ``error``; undone before the
    test's own database clean-up."""
    real_execute = CursorWrapper.execute

    def execute(self, sql, params=None):
        if sql.startswith(starting):
            raise error
        return real_execute(self, sql, params)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", execute)
        yield
