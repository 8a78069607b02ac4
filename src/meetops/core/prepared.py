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

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import count
from typing import Any, Generic, TypeVar
from uuid import UUID

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Expression, Field, Model, QuerySet
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


@dataclass(frozen=True)
class _RowPlan:
    """How one model's row is inserted on one connection: its columns, each column's value
    preparation, and the statements already built from them."""

    fields: tuple[Field[Any, Any], ...]
    prepare: tuple[Callable[[Model], Any], ...]
    prepare_pk: Callable[[Any], Any]
    table: str
    columns: str  # `"a", "b", …`: every column but the primary key's
    pk_column: str
    statements: dict[tuple[Any, ...], str]

    def target(self, with_pk: bool) -> str:
        """`"table" ("a", "b", …) SELECT %s, %s, …` (the primary key first, `with_pk`)."""
        columns = f"{self.pk_column}, {self.columns}" if with_pk else self.columns
        places = ", ".join(["%s"] * (len(self.fields) + with_pk))
        return f"{self.table} ({columns}) SELECT {places}"


def _row_plan(model: type[Model], connection: BaseDatabaseWrapper) -> _RowPlan:
    cache: dict[type[Model], _RowPlan] = connection.__dict__.setdefault("_meetops_row_plans", {})
    plan = cache.get(model)
    if plan is None:
        meta = model._meta
        fields = tuple(f for f in meta.local_concrete_fields if not f.primary_key)
        q = connection.ops.quote_name
        pk = meta.pk
        assert pk is not None
        plan = cache[model] = _RowPlan(
            fields,
            tuple(_preparer(f, connection) for f in fields),
            functools.partial(pk.get_db_prep_save, connection=connection),
            q(meta.db_table),
            ", ".join(q(f.column or f.attname) for f in fields),
            q(pk.column or pk.attname),
            {},
        )
    return plan


# Field classes whose value, of the type named, `get_db_prep_save` sends as it is.
_AS_IS: dict[type[Field[Any, Any]], type] = {
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
}
# Integer fields: an int goes through the backend's integer adapter (psycopg's typed ints).
_INTEGERS = (
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveBigIntegerField,
)


def _preparer(field: Field[Any, Any], connection: BaseDatabaseWrapper) -> Callable[[Model], Any]:
    """`field.get_db_prep_save(field.pre_save(obj, True))` for an instance being inserted,
    without the generic path's per-call dispatch where the field's type makes the answer
    plain: a value of the kinds `_AS_IS` names goes as it is, an aware datetime through the
    backend's adapter, a dict or list of a JSON field through the backend's JSON adapter.
    Anything else (and every `auto_now` field) takes the generic path;
    `core/tests/test_prepared.py` compares the two."""

    def generic(obj: Model) -> Any:
        return field.get_db_prep_save(field.pre_save(obj, True), connection)

    attname = field.attname
    kind: type[Field[Any, Any]] = type(field)
    internal = field.get_internal_type()
    plain = _AS_IS.get(kind)
    if isinstance(field, models.ForeignKey) and type(field.target_field) in (
        models.AutoField,
        models.BigAutoField,
    ):
        plain = int  # an auto field's value is sent as it is (`AutoFieldMixin`)
    if plain is not None:

        def as_is(obj: Model) -> Any:
            value = getattr(obj, attname)
            return value if value is None or type(value) is plain else generic(obj)

        return as_is
    if kind in _INTEGERS:
        adapt_int = connection.ops.adapt_integerfield_value

        def integer(obj: Model) -> Any:
            value = getattr(obj, attname)
            if value is None:
                return None
            return adapt_int(value, internal) if type(value) is int else generic(obj)

        return integer
    if kind is models.DateTimeField and not (field.auto_now or field.auto_now_add):  # type: ignore[attr-defined]
        adapt = connection.ops.adapt_datetimefield_value

        def moment(obj: Model) -> Any:
            value = getattr(obj, attname)
            if type(value) is datetime and value.tzinfo is not None:
                return adapt(value)
            return generic(obj)

        return moment
    if kind is models.JSONField:
        adapt_json = connection.ops.adapt_json_value
        encoder = field.encoder  # type: ignore[attr-defined]

        def document(obj: Model) -> Any:
            value = getattr(obj, attname)
            return adapt_json(value, encoder) if type(value) in (dict, list) else generic(obj)

        return document
    return generic


def row_values(obj: Model, *, using: str = DEFAULT_DB_ALIAS) -> list[Any]:
    """The values of `obj`'s row as `save()` sends them for an insert (auto_now fields set,
    datetimes, JSON and addresses adapted), in the order of `insert_statement`'s columns:
    the primary key first when `obj` has one, then the model's other columns."""
    plan = _row_plan(type(obj), connections[using])
    values = [prepare(obj) for prepare in plan.prepare]
    return values if obj.pk is None else [plan.prepare_pk(obj.pk), *values]


def insert_statement(
    obj: Model, where: str, *, skip_conflicts: bool = False, using: str = DEFAULT_DB_ALIAS
) -> str:
    """`INSERT INTO <obj's table> (…) SELECT %s, … WHERE <where> RETURNING <pk>` for
    `obj`'s row (its primary key too when it has one, as `save()` would insert it), its
    values `row_values(obj)` followed by `where`'s. With `skip_conflicts`, a row that would
    break a unique constraint is not written (`ON CONFLICT DO NOTHING`, PostgreSQL and
    SQLite ≥ 3.35 alike). The text is built once per model, shape and connection."""
    connection = connections[using]
    plan = _row_plan(type(obj), connection)
    key = ("where", where, skip_conflicts, obj.pk is not None)
    statement = plan.statements.get(key)
    if statement is None:
        # Only the model's own table and column names are interpolated; every value is a parameter.
        statement = plan.statements[key] = (
            f"INSERT INTO {plan.target(obj.pk is not None)} WHERE {where}"
            f"{' ON CONFLICT DO NOTHING' if skip_conflicts else ''} RETURNING {plan.pk_column}"
        )
    return statement


def _inserted(obj: Model, pk: Any, using: str) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = using


def insert_where(
    obj: Model,
    where: str,
    params: Sequence[Any],
    *,
    skip_conflicts: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    plan_once: bool = False,
) -> bool:
    """Insert `obj`'s row if `where` holds, in one statement that judges it; sets `obj.pk`.

    `where` is SQL over the database as the statement sees it (e.g. `NOT EXISTS (…)` of a
    `Prepared.sql()`), its values in `params`. The row's values are prepared as `save()`
    prepares them (`row_values`). Returns whether it was written; the caller holds the lock
    or the constraint that makes the condition decide a race (`skip_conflicts`: see
    `insert_statement`).
    """
    connection = connections[using]
    statement = insert_statement(obj, where, skip_conflicts=skip_conflicts, using=using)
    with cursor(connection, plan_once=plan_once) as cursor_:
        cursor_.execute(statement, [*row_values(obj, using=using), *params])
        row = cursor_.fetchone()
    if row is None:
        return False
    _inserted(obj, row[0], using)
    return True


def insert_after(
    first: str,
    params: Sequence[Any],
    obj: Model,
    *,
    using: str = DEFAULT_DB_ALIAS,
    plan_once: bool = False,
) -> bool:
    """Run `first`, an `INSERT … RETURNING` of one row or none with its `params`, and insert
    `obj`'s row if it inserted one, in ONE statement (PostgreSQL only: a data-modifying
    `WITH`). Sets `obj.pk` and returns whether both were written.

    One statement is atomic without a transaction: either both rows are written or neither,
    and in autocommit it needs no `BEGIN` and `COMMIT` (two round trips fewer). `obj`'s
    values must not depend on what `first` writes but through what the caller chose before,
    e.g. an id drawn from its sequence (`NextId`).
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise ImproperlyConfigured("insert_after: PostgreSQL only (SQLite's WITH cannot write)")
    plan = _row_plan(type(obj), connection)
    key = ("after", first, obj.pk is not None)
    statement = plan.statements.get(key)
    if statement is None:
        first_name = connection.ops.quote_name("first")
        statement = plan.statements[key] = (
            f"WITH {first_name} AS ({first}) INSERT INTO {plan.target(obj.pk is not None)} "
            f"FROM {first_name} RETURNING {plan.pk_column}"
        )
    with cursor(connection, plan_once=plan_once) as cursor_:
        cursor_.execute(statement, [*params, *row_values(obj, using=using)])
        row = cursor_.fetchone()
    if row is None:
        return False
    _inserted(obj, row[0], using)
    return True


class NextId(Expression):
    """A fresh primary key from `model`'s sequence (`nextval`) on PostgreSQL; NULL elsewhere.

    Read with something the request reads anyway, it lets the caller build what depends on
    a new row's id (its audit entry: stream, object id, seal) before writing the row, so the
    row and the entry go in one statement (`insert_after`). Each evaluation uses up a
    value, written or not: ids may have gaps, as they may after any rolled-back insert.
    """

    output_field = models.BigIntegerField()

    def __init__(self, model: type[Model]) -> None:
        super().__init__()
        self.model = model

    def as_sql(self, compiler: Any, connection: BaseDatabaseWrapper) -> tuple[str, tuple[Any, ...]]:
        return "NULL", ()

    def as_postgresql(
        self, compiler: Any, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        meta = self.model._meta
        pk = meta.pk
        assert pk is not None
        table = connection.ops.quote_name(meta.db_table)
        return "nextval(pg_get_serial_sequence(%s, %s))", (table, pk.column or pk.attname)


# The most statements one connection keeps planned: psycopg drops the least used beyond it.
MAX_PLANNED = 100


def cursor(connection: BaseDatabaseWrapper, *, plan_once: bool = False) -> CursorWrapper:
    """A cursor of `connection`; with `plan_once` on PostgreSQL, one whose statements the server
    prepares at their first run and afterwards only executes with new values.

    Django's own cursors bind values on the client and never prepare (psycopg's automatic
    preparation is off: `prepare_threshold` None); this one binds on the server and asks
    psycopg to prepare, so only statements sent through it are kept. The statement text is
    the key: one with a different shape is prepared separately. It is made as Django makes
    its own (`BaseDatabaseWrapper._cursor`): after the health check and connecting, wrapped
    for logging and query counting (the debug wrapper when queries are logged), its errors
    translated, the connection's time zone loaded as Django's cursors load it.
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
    with connection.wrap_database_errors:
        planning = _planning_cursor_class()(raw)
        _load_time_zone(connection, planning)
    connection.validate_thread_sharing()
    if connection.queries_logged:
        return connection.make_debug_cursor(planning)
    return connection.make_cursor(planning)


def _load_time_zone(connection: BaseDatabaseWrapper, cursor_: Any) -> None:
    """What `DatabaseWrapper.create_cursor` does for each cursor it makes (psycopg 3)."""
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    if connection.timezone != loader.timezone:
        register_tzloader(connection.timezone, cursor_)


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
