"""Tests of a data migration: the schema moved back to before it, rows written as they were then, and moved
forward again.

Moving one app back also unapplies the other apps' migrations that depend on it (routing 0003 takes
tickets 0014 onwards with it), and ``migrate <app>`` forward re-applies only that app's chain: the tests
after would find columns missing. The ``migrator`` fixture moves with every app's latest as the way
forward, and returns there when the test ends, however it ends."""

from collections.abc import Iterator

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Target = tuple[str, str | None]


class Migrator:
    def to(self, *targets: Target) -> Apps:
        """Migrate to ``targets`` (``(app, migration)``) and return the models as they are there."""
        MigrationExecutor(connection).migrate(list(targets))
        return MigrationExecutor(connection).loader.project_state(list(targets)).apps

    def to_latest(self) -> Apps:
        """Every app at its latest migration, as the other tests expect it."""
        return self.to(*MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.fixture
def migrator() -> Iterator[Migrator]:
    """``migrator.to(("app", "0003_x"))`` in a test; every app is back at its latest when it ends."""
    migrator = Migrator()
    try:
        yield migrator
    finally:
        migrator.to_latest()
