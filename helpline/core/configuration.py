"""Small configuration rows kept in each process's memory, and dropped the moment any process changes them.

Opening a ticket reads rows that change a few times a year (the first status, the default priority, the
desk's settings, the active webhooks, the departments' defaults): each read cost a query, a quarter of a
millisecond of CPU, on every ticket. ``cached`` keeps what a loader returned in the process, under the
token of ``core_configurationversion``'s one row; database triggers give that row a new random token
whenever a tracked table changes, in the same transaction, whoever writes it (an administrator's page, a
queryset's ``update()``, the admin site, a migration, another server). Each ``cached`` call reads the token
(one indexed row, no ORM, about 10 microseconds) and reloads when it differs, so a change shows on the next
read of every process, and a change rolled back never left a token a later change could reuse.

A table is tracked by ``track(Model)`` in its app's models module; the triggers are (re)installed after
every ``migrate`` (``install_triggers``), which also restores those SQLite drops when it rebuilds a table.
"""

import copy
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

VERSION_TABLE = "core_configurationversion"
SUPPORTED = ("sqlite", "postgresql")
_tracked: dict[str, tuple[str, ...]] = {}  # table -> the columns whose update counts (empty: any)
_kept: dict[str, tuple[int, Any]] = {}  # key -> (token, value)


def track(*models: type[Model], columns: Sequence[str] = ()) -> None:
    """Changes of these models' tables (only of ``columns``, for an update, when given) drop the cache."""
    for model in models:
        _tracked[model._meta.db_table] = tuple(model._meta.get_field(name).column for name in columns)  # type: ignore[union-attr,misc]


def cached[T](key: str, load: Callable[[], T]) -> T:
    """What ``load()`` returned, kept until a tracked table changes. ``load`` reads tracked tables only;
    callers share what it returns, so it must not be changed (hand out copies of model instances)."""
    current = token()
    if current is None:  # no version row (a flushed test database): nothing can be trusted, keep nothing
        return load()
    kept = _kept.get(key)
    if kept is not None and kept[0] == current:
        return kept[1]
    value = load()
    _kept[key] = (current, value)
    return value


def cached_row[M: Model](key: str, load: Callable[[], M | None]) -> M | None:
    """``cached`` for a loader of one model instance (or None), handing each caller its own copy: what one
    caller sets on it (a field, a related row it fetched) never reaches the next."""
    found = cached(key, load)
    return copy.copy(found) if found is not None else None


def token(using: str = "default") -> int | None:
    """The current token; None where no trigger keeps it (no row, or a database without triggers here)."""
    connection = connections[using]
    if connection.vendor not in SUPPORTED:
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {VERSION_TABLE} WHERE id = 1")  # noqa: S608 (a constant)
        row = cursor.fetchone()
    return row[0] if row else None


def install_triggers(using: str = "default", **kwargs: object) -> None:
    """Create the triggers of every tracked table that exists (idempotent; a ``post_migrate`` receiver)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if VERSION_TABLE not in existing:
        return
    if connection.vendor not in SUPPORTED:
        return
    statements = _postgresql_triggers if connection.vendor == "postgresql" else _sqlite_triggers
    with connection.cursor() as cursor:
        for sql in statements(connection, sorted(set(_tracked) & existing)):
            cursor.execute(sql)


def _sqlite_triggers(connection: BaseDatabaseWrapper, tables: list[str]) -> list[str]:
    bump = f"UPDATE {VERSION_TABLE} SET token = random();"  # noqa: S608 (names of the models, not input)
    statements = []
    for table in tables:
        columns = ", ".join(connection.ops.quote_name(c) for c in _tracked[table])
        for event in ("INSERT", "DELETE", f"UPDATE OF {columns}" if columns else "UPDATE"):
            name = connection.ops.quote_name(f"{table}_changes_config_{event.split()[0].lower()}")
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {bump} END",
            ]
    return statements


def _postgresql_triggers(connection: BaseDatabaseWrapper, tables: list[str]) -> list[str]:
    bump = f"UPDATE {VERSION_TABLE} SET token = floor(random() * 9.2e18)::bigint;"  # noqa: S608 (as above)
    statements = [
        "CREATE OR REPLACE FUNCTION helpline_configuration_changed() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {bump} RETURN NULL; END $$"
    ]
    for table in tables:
        columns = ", ".join(connection.ops.quote_name(c) for c in _tracked[table])
        update = f"UPDATE OF {columns}" if columns else "UPDATE"
        name = connection.ops.quote_name(f"{table}_changes_config")
        statements.append(
            f"CREATE OR REPLACE TRIGGER {name} AFTER INSERT OR DELETE OR {update} OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION helpline_configuration_changed()"
        )
    return statements
