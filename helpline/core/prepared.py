"""Queries of a fixed shape whose SQL is compiled once per process, then run with new values.

Compiling is most of what a small query costs through the ORM: the access query every staff request makes
(people.access) took 0.72 ms to compile and 0.02 ms to run. A query that every request runs with only an id
or a number changing is written once as an ORM queryset, as any other, and compiled once per database
connection (a thread's connection to one database); each call puts its values into the compiled
parameters and builds the rows as the ORM would: tuples from ``values_list()``, model instances (with
their ``select_related`` relations) otherwise.

Only for querysets whose variable parts are whole numbers or strings compared for equality (an id, a
ticket number): the SQL must not change with the values (``__in`` lists, ``None``, a slice would change
it). A value the ORM rewrites (``__contains`` adds ``%``) is not found among the parameters, and refused.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from threading import Lock
from typing import Any
from weakref import ref as weak_ref

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, Q, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

# Stand-ins for the values while compiling, found again among the parameters: numbers no id takes, and
# strings no number or address holds.
_INT_SENTINEL = -7_340_000_000_000
_STR_SENTINEL = "\x00prepared-value-{}\x00"

Value = int | str
_INT64 = (-(2**63), 2**63 - 1)


@dataclass(frozen=True)
class _Compiled:
    compiler: SQLCompiler
    sql: str
    params: tuple
    slots: tuple[tuple[int, int], ...]  # (parameter position, value index)
    using: str
    fetch_mode: Any  # the queryset's (Django 6.1's fetch modes), for the instances built


class PreparedQuery:
    """``PreparedQuery(lambda agent_id: Model.objects.filter(...).values_list(...))``; then
    ``query.rows(agent.pk)`` runs it (``kinds`` names each value's type, whole numbers by default)."""

    def __init__(self, build: Callable[..., QuerySet], kinds: Sequence[type] = (int,)):
        if any(kind not in (int, str) for kind in kinds):
            raise TypeError("values are whole numbers or strings")
        self.build, self.kinds = build, tuple(kinds)
        # Per connection object (one a thread and database): the compiler converts rows with its connection.
        self._compiled: dict[object, _Compiled] = {}
        self._lock = Lock()

    def rows(self, *values: Value, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        """The rows of a ``values_list()`` queryset, as tuples."""
        compiled, fetched = self._run(values, using)
        return [tuple(row) for row in compiled.compiler.results_iter([fetched], tuple_expected=True)]

    def objects(self, *values: Value, using: str = DEFAULT_DB_ALIAS) -> list[Any]:
        """The model instances of a model queryset, with the relations it selects and its annotations
        filled in, as Django's ModelIterable builds them."""
        compiled, fetched = self._run(values, using)
        compiler, fetch_mode = compiled.compiler, compiled.fetch_mode
        info, select = compiler.klass_info, compiler.select
        assert info is not None and select is not None, "objects() needs a model queryset"
        model: type[Model] = info["model"]
        columns = info["select_fields"]
        start, end = columns[0], columns[-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(info, select, compiled.using, fetch_mode)
        found: list[Any] = []
        peers: list = []
        for row in compiler.results_iter([fetched]):
            instance = model.from_db(compiled.using, names, row[start:end], fetch_mode=fetch_mode)
            if fetch_mode.track_peers:
                peers.append(weak_ref(instance))
                instance._state.peers = peers
            for populator in populators:
                populator.populate(row, instance)
            for name, position in (compiler.annotation_col_map or {}).items():
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    def first(self, *values: Value, using: str = DEFAULT_DB_ALIAS) -> Any | None:
        """The first instance ``objects()`` gives, None when it finds none (``QuerySet.first()``, in the
        queryset's own order)."""
        found = self.objects(*values, using=using)
        return found[0] if found else None

    def _run(self, values: tuple[Value, ...], using: str) -> tuple[_Compiled, list]:
        if len(values) != len(self.kinds) or any(
            type(value) is not kind for value, kind in zip(values, self.kinds, strict=True)
        ):
            raise TypeError(f"expected values of the kinds {self.kinds}, got {values!r}")
        connection = connections[using]
        compiled = self._compiled.get(connection) or self._compile(connection, using)
        if any(type(value) is int and not _INT64[0] <= value <= _INT64[1] for value in values):
            return compiled, []  # equal to no stored whole number (the ORM answers so too)
        params = list(compiled.params)
        for position, index in compiled.slots:
            # In the compiled parameter's own type: psycopg's Int8 for a BigIntegerField on PostgreSQL.
            kind = type(params[position])
            params[position] = values[index] if kind in (int, str) else kind(values[index])
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return compiled, cursor.fetchall()

    def _compile(self, connection: object, using: str) -> _Compiled:
        with self._lock:
            if connection in self._compiled:
                return self._compiled[connection]
            sentinels: list[Value] = [
                _INT_SENTINEL - index if kind is int else _STR_SENTINEL.format(index)
                for index, kind in enumerate(self.kinds)
            ]
            queryset: Any = self.build(*sentinels)  # its private state is read as ModelIterable reads it
            if queryset._known_related_objects:
                raise ValueError("a related manager's queryset cannot be prepared: build it from the model's")
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            slots = _slots(params, sentinels)
            compiled = _Compiled(compiler, sql, tuple(params), slots, using, queryset._fetch_mode)
            self._compiled[connection] = compiled
            return compiled


class PreparedIn:
    """A query of rows whose ``field`` is one of some values: ``PreparedIn("ticket_id", lambda which:
    Model.objects.filter(which)...)``, with ``which`` the Q of ``field``. For one value (the common run:
    the one ticket a change queued) compiled once per connection as ``field = value``; for several built
    each time with ``field__in``, whose SQL changes with their number."""

    def __init__(self, field: str, build: Callable[[Q], QuerySet]):
        self.field, self.build = field, build
        self.one = PreparedQuery(lambda value: build(Q(**{field: value})))

    def rows(self, values: Sequence[int]) -> list[tuple]:
        """The rows of a ``values_list()`` queryset, as tuples."""
        if len(values) == 1:
            return self.one.rows(values[0])
        return [tuple(row) for row in self._many(values)]

    def objects(self, values: Sequence[int]) -> list[Any]:
        """The model instances of a model queryset."""
        return self.one.objects(values[0]) if len(values) == 1 else list(self._many(values))

    def _many(self, values: Sequence[int]) -> QuerySet:
        return self.build(Q(**{f"{self.field}__in": list(values)}))


def _slots(params: Sequence, sentinels: list[Value]) -> tuple[tuple[int, int], ...]:
    slots = tuple(
        (position, sentinels.index(param))
        for position, param in enumerate(params)
        if isinstance(param, (int, str)) and not isinstance(param, bool) and param in sentinels
    )
    missing = set(range(len(sentinels))) - {index for _, index in slots}
    if missing:
        raise ValueError(f"values {sorted(missing)} do not appear as parameters of the compiled query")
    return slots
