"""Reads on hot paths compiled once per database connection, then run with new parameters.

On a lookup by key, building and compiling the queryset costs several times what the
database spends answering it (issue 17's profiles: the ORM building SQL was about 40 % of a
sign-in). A `Prepared` read builds its queryset once per connection with placeholder
arguments, keeps the SQL, the column converters and the model populators, and afterwards only
binds new parameters: the rows, converted values and model instances (with their
`select_related` objects and annotations) are what the queryset itself would give.

    participant_by_code = Prepared(
        lambda code: Participant.objects.filter(invitation__checkin_code=code)[:1], "‹code›"
    )
    found = participant_by_code("K3…")

Each placeholder must reach the SQL as a parameter unchanged (ints and strings do;
datetimes as the backend adapts them), so compiling can tell which argument goes where;
anything else is refused when it compiles. Model querysets and `values_list` (of columns and
annotations, not flat) are supported; `sql()` gives the statement and parameters to embed
as a subquery. A value that repeats in a column (the same start time in many rows) is
converted once per call, when what it converts to cannot be changed in place.

`insert_where` writes a model's row only if a condition holds, judged by the insert itself.

With `plan_once=True` (to `Prepared` or `insert_where`), PostgreSQL also plans the statement
once per connection (a server-side prepared statement, `cursor`): for the desk's scan,
planning its four-table join cost the server about four times what running it did. Only for
statements whose best plan does not depend on the values bound (look-ups by a unique key,
inserts); SQLite keeps its own statement cache either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import count
from typing import Any, Generic, TypeVar
from uuid import UUID

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

T = TypeVar("T")
Placeholder = int | str | datetime
# Each read's key in a connection's cache. Not `id(self)`: a freed read's id is reused by the
# next one made, which would then find the freed read's statement under its key.
_keys = count()
# Converted values that rows may share: nobody can change one row's through another's.
_SHAREABLE = frozenset(
    {bool, int, float, str, bytes, Decimal, UUID, datetime, date, time, timedelta}
)


@dataclass(frozen=True)
class _Compiled:
    compiler: SQLCompiler
    sql: str
    params: tuple[
        tuple[bool, Any], ...
    ]  # per SQL parameter: (True, argument no.) or (False, constant)
    converters: dict[int, Any]
    col_count: int | None  # cut rows to this many columns (extra selects), or None
    model: type[Model] | None  # None: rows as tuples
    model_span: tuple[int, int]
    init_list: list[str]
    populators: list[Any]
    annotations: dict[str, int]


class Prepared(Generic[T]):
    """A read compiled once per connection; call it with the arguments `build` takes."""

    def __init__(
        self,
        build: Callable[..., QuerySet[Any, T]],
        *placeholders: Placeholder,
        plan_once: bool = False,
    ) -> None:
        if len(set(placeholders)) != len(placeholders):
            raise ImproperlyConfigured("Prepared: every placeholder must be distinct")
        self._build = build
        self._placeholders = placeholders
        self._plan_once = plan_once
        self._key = f"_meetops_prepared_{next(_keys)}"

    def _compiled(self, using: str) -> _Compiled:
        connection = connections[using]
        compiled: _Compiled | None = connection.__dict__.get(self._key)
        if compiled is None:
            compiled = self._compile(connection, using)
            connection.__dict__[self._key] = compiled
        return compiled

    def sql(self, *args: Placeholder, using: str = DEFAULT_DB_ALIAS) -> tuple[str, list[Any]]:
        """The compiled statement and its parameters for these arguments (to embed it)."""
        compiled = self._compiled(using)
        values = [_adapt(connections[using], arg) for arg in args]
        return compiled.sql, [values[v] if is_arg else v for is_arg, v in compiled.params]

    def __call__(self, *args: Placeholder, using: str = DEFAULT_DB_ALIAS) -> list[T]:
        compiled = self._compiled(using)
        sql, params = self.sql(*args, using=using)
        with cursor(connections[using], plan_once=self._plan_once) as cursor_:
            _fast_timestamps(connections[using], cursor_)
            cursor_.execute(sql, params)
            rows: Sequence[Any] = cursor_.fetchall()
        if compiled.col_count is not None:
            rows = [row[: compiled.col_count] for row in rows]
        if compiled.converters:
            rows = _converted(rows, compiled.converters, connections[using])
        if compiled.model is None:
            return [tuple(row) for row in rows]  # type: ignore[misc]
        start, end = compiled.model_span
        out: list[Any] = []
        for row in rows:
            obj = compiled.model.from_db(using, compiled.init_list, row[start:end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, pos in compiled.annotations.items():
                setattr(obj, name, row[pos])
            out.append(obj)
        return out

    def _compile(self, connection: BaseDatabaseWrapper, using: str) -> _Compiled:
        # Compiled twice with different placeholders: a parameter that follows a placeholder is
        # that argument, one that stays the same is the query's own constant (`EXISTS(SELECT 1…`).
        other = tuple(_other(p) for p in self._placeholders)
        if len(set(other) | set(self._placeholders)) != 2 * len(other):
            raise ImproperlyConfigured("Prepared: choose placeholders further apart")
        __, other_params = self._build(*other).query.get_compiler(using=using).as_sql()
        queryset = self._build(*self._placeholders)
        query = queryset.query
        compiler = query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        first = [_adapt(connection, p) for p in self._placeholders]
        second = [_adapt(connection, p) for p in other]
        template: list[tuple[bool, Any]] = []
        for param, again in zip(params, other_params, strict=True):
            matches = [
                n
                for n, p in enumerate(first)
                if type(p) is type(param) and p == param and second[n] == again
            ]
            if len(matches) == 1:
                template.append((True, matches[0]))
            elif param == again and not any(p == param for p in first):
                template.append((False, param))
            else:
                raise ImproperlyConfigured(f"Prepared: parameter {param!r} is no placeholder")
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        col_count = compiler.col_count if compiler.has_extra_select else None
        iterable = queryset._iterable_class
        # Django 5.2 selects a values_list's columns and annotations in the order it names them.
        if iterable is ValuesListIterable and not query.extra_select:
            return _Compiled(
                compiler, sql, tuple(template), converters, col_count, None, (0, 0), [], [], {}
            )
        if iterable is not ModelIterable or compiler.klass_info is None:
            raise ImproperlyConfigured("Prepared: model querysets and plain values_list only")
        klass_info = compiler.klass_info
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        return _Compiled(
            compiler,
            sql,
            tuple(template),
            converters,
            col_count,
            klass_info["model"],
            (start, end),
            [f[0].target.attname for f in compiler.select[start:end]],
            # Django 5.2's signature (the stubs already know a later one).
            get_related_populators(klass_info, compiler.select, using),  # type: ignore[call-arg]
            dict(compiler.annotation_col_map or {}),
        )


def _converted(
    rows: Sequence[Any], converters: dict[int, Any], connection: BaseDatabaseWrapper
) -> list[list[Any]]:
    """`SQLCompiler.apply_converters`, converting each distinct value of a column once."""
    out = [list(row) for row in rows]
    for pos, (functions, expression) in converters.items():
        seen: dict[Any, Any] = {}
        for row in out:
            raw = row[pos]
            key = raw if _plain(raw) else None
            if key is not None and key in seen:
                row[pos] = seen[key]
                continue
            value = raw
            for convert in functions:
                value = convert(value, expression, connection)
            row[pos] = value
            if key is not None and type(value) in _SHAREABLE:
                seen[key] = value
    return out


def _plain(raw: Any) -> bool:
    """Whether values equal to `raw` are the same value (not so: 1.0 and 1, or one instant in
    two time zones), so that converting it once serves them all."""
    kind = type(raw)
    return kind in (str, int, bytes, date) or (kind in (datetime, time) and raw.tzinfo is None)


def _other(value: Placeholder) -> Placeholder:
    """A second placeholder of the same type, different from the first."""
    if isinstance(value, datetime):
        return value + timedelta(days=397)
    if isinstance(value, str):
        return f"{value}\u2021"
    return value - 1_000_003


def _adapt(connection: BaseDatabaseWrapper, value: Placeholder) -> Any:
    """A datetime as a DateTimeField lookup sends it (SQLite: text in UTC), anything else as is."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def insert_where(
    obj: Model,
    where: str,
    params: Sequence[Any],
    *,
    using: str = DEFAULT_DB_ALIAS,
    plan_once: bool = False,
) -> bool:
    """Insert `obj`'s row if `where` holds, in one statement that judges it; sets `obj.pk`.

    `where` is SQL over the database as the statement sees it (e.g. `NOT EXISTS (…)` of a
    `Prepared.sql()`), its values in `params`. The row's values are prepared as `save()`
    prepares them (auto_now fields set, datetimes adapted). Returns whether it was written;
    the caller holds the lock or the constraint that makes the condition decide a race.
    """
    connection = connections[using]
    meta = obj._meta
    fields = [f for f in meta.local_concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    q = connection.ops.quote_name
    pk = meta.pk
    assert pk is not None
    # Only the model's own table and column names are interpolated; every value is a parameter.
    statement = (
        f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column or f.attname) for f in fields)}) "
        f"SELECT {', '.join(['%s'] * len(fields))} WHERE {where} RETURNING {q(pk.column or pk.attname)}"
    )
    with cursor(connection, plan_once=plan_once) as cursor_:
        cursor_.execute(statement, [*values, *params])
        row = cursor_.fetchone()
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = using
    return True


# The most statements one connection keeps planned: psycopg drops the least used beyond it.
MAX_PLANNED = 100


def cursor(connection: BaseDatabaseWrapper, *, plan_once: bool = False) -> CursorWrapper:
    """A cursor of `connection`; with `plan_once` on PostgreSQL, one whose statements the server
    prepares at their first run and afterwards only executes with new values.

    Django's own cursors bind values on the client and never prepare (psycopg's automatic
    preparation is off: `prepare_threshold` None); this one binds on the server and asks
    psycopg to prepare, so only statements sent through it are kept. The statement text is
    the key: one with a different shape is prepared separately. Logged, counted and its
    errors translated as any Django cursor's.
    """
    if not plan_once or connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Only explicit `prepare=True` (below) prepares; nothing else changes behaviour.
        raw.prepare_threshold = 2**31 - 1
        raw.prepared_max = MAX_PLANNED
    factory = raw.cursor_factory
    raw.cursor_factory = _planning_cursor_class()
    try:
        return connection.cursor()
    finally:
        raw.cursor_factory = factory


_PLANNING: list[type] = []


def _fast_timestamps(connection: BaseDatabaseWrapper, cursor_: CursorWrapper) -> None:
    """On PostgreSQL in UTC, read `timestamptz` columns with psycopg's own loader.

    Django replaces it on every connection with a Python subclass that parses the text and
    then sets the connection's time zone (`psycopg_any.BaseTzLoader`): about 3 µs a value
    against 0.2 µs for psycopg's compiled loader, which a week of a building's bookings (700
    times) paid in full. When the session's zone is UTC and so is Django's, psycopg's loader
    gives the very same values (aware, `datetime.timezone.utc`); otherwise nothing changes.
    """
    if connection.vendor != "postgresql" or connection.timezone is not UTC:
        return
    raw = cursor_.cursor
    if raw.connection.info.parameter_status("TimeZone") != "UTC":
        return
    import psycopg  # only on PostgreSQL

    oid = psycopg.postgres.types["timestamptz"].oid
    raw.adapters.register_loader(oid, psycopg.adapters.get_loader(oid, psycopg.pq.Format.TEXT))


def _planning_cursor_class() -> type:
    if not _PLANNING:
        import psycopg  # only on PostgreSQL

        class PlanningCursor(psycopg.Cursor[Any]):
            """Server-side binding, every statement prepared (see `cursor`)."""

            def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
                kwargs["prepare"] = True
                return super().execute(query, params, **kwargs)

        _PLANNING.append(PlanningCursor)
    return _PLANNING[0]
