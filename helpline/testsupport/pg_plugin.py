"""pytest plugin: with HELPLINE_TEST_DB=postgres, start a throwaway PostgreSQL server for the run.

Loaded with ``-p`` because pytest-django reads the settings (and so DATABASE_URL) before any conftest.
"""

import os
import signal

import pytest

from helpline.testsupport.pgserver import TempPostgres

_server: TempPostgres | None = None


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    global _server
    if os.environ.get("HELPLINE_TEST_DB") == "postgres" and "DATABASE_URL" not in os.environ:
        _server = TempPostgres().start()
        os.environ["DATABASE_URL"] = _server.url
        signal.signal(signal.SIGTERM, _interrupt)  # so a terminated run still stops its server
    return (yield)


def pytest_unconfigure(config):
    global _server
    if _server is not None:
        _server.stop()
        _server = None
