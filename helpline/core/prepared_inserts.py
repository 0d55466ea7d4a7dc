"""Inserting a model's rows with the INSERT compiled once per connection, as ``save()`` inserts them.

``save()`` and ``create()`` compile their INSERT on every call: for the rows every new ticket writes (the
ticket's thirty columns, its thread entries, its notifications) compiling was most of what writing them
cost in Python, more than SQLite took to store them. ``PreparedInsert(Model).insert(instance)`` writes the
row ``instance.save(force_insert=True)`` would write: the same ``pre_save`` and ``post_save`` signals,
each field's ``pre_save`` (``auto_now``, defaults already set on the instance) and its conversion for the
database, the primary key the database assigned set on the instance, which is then saved (not adding)
with the database it came from, as after ``save()``.

For models of one table (no parent model) without database defaults, and for new instances whose primary
key the database assigns. A value that is an expression (``F()``, a function) would change the SQL: it is
refused, as the module ``core.prepared`` refuses a value that changes a query.
"""

from dataclasses import dataclass
from threading import Lock
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery
from django.db.models.sql.compiler import SQLInsertCompiler


@dataclass(frozen=True)
class _Compiled:
    sql: str
    fields: tuple[Field, ...]
    returning: tuple[Field, ...]
    returning_params: tuple
    compiler: SQLInsertCompiler


class PreparedInsert:
    """``TICKETS = PreparedInsert(Ticket)``, then ``TICKETS.insert(ticket)`` instead of ``ticket.save()``."""

    def __init__(self, model: type[Model]):
        meta = model._meta
        if meta.parents:
            raise ValueError(f"{meta.label} inherits from another model: its rows span tables")
        if any(field.has_db_default() for field in meta.concrete_fields):
            raise ValueError(f"{meta.label} has database defaults, which the compiled INSERT would not give")
        self.model = model
        self._compiled: dict[object, _Compiled] = {}
        self._lock = Lock()

    def insert(self, instance: Model, using: str = DEFAULT_DB_ALIAS) -> None:
        model = self.model
        meta = model._meta
        if type(instance) is not model:
            raise TypeError(f"expected a {meta.label}, got {type(instance).__name__}")
        if instance.pk is not None:
            raise ValueError("the database assigns the primary key of a row inserted so")
        connection = connections[using]
        compiled = self._compiled.get(connection) or self._compile(connection, using)
        # save()'s own check that every related object is saved and its key copied (not in the stubs)
        instance._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
        if pre_save.has_listeners(model):
            pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
        params = []
        for field in compiled.fields:
            value = field.pre_save(instance, add=True)
            if hasattr(value, "resolve_expression"):
                raise TypeError(f"{meta.label}.{field.name} is an expression: save() it instead")
            params.append(field.get_db_prep_save(value, connection=connection))
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows: list[Any] = list(connection.ops.fetch_returned_rows(cursor, compiled.returning_params))
        converters = compiled.compiler.get_converters(
            [field.get_col(meta.db_table) for field in compiled.returning]
        )
        if converters:
            rows = list(compiled.compiler.apply_converters(rows, converters))
        for field, value in zip(compiled.returning, rows[0], strict=True):
            setattr(instance, field.attname, value)
        instance._state.adding, instance._state.db = False, using
        if post_save.has_listeners(model):
            post_save.send(
                sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using
            )

    def _compile(self, connection: object, using: str) -> _Compiled:
        """The INSERT ``save()`` compiles, from a blank instance: its placeholders do not depend on the
        values, only on the fields (none here is an expression)."""
        with self._lock:
            if connection in self._compiled:
                return self._compiled[connection]
            meta = self.model._meta
            fields = tuple(
                f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field
            )
            returning = tuple(meta.db_returning_fields)
            if not connections[using].features.can_return_columns_from_insert:
                raise ValueError("the database cannot return the columns it assigned on insert")
            query = InsertQuery(self.model)
            query.insert_values(fields, [self.model()])
            compiler = query.get_compiler(using=using)
            compiler.returning_fields = list(returning)
            ((sql, _params),) = compiler.as_sql()
            compiled = _Compiled(sql, fields, returning, tuple(compiler.returning_params), compiler)
            self._compiled[connection] = compiled
            return compiled
