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

Each placeholder must reach the SQL as a parameter unchanged (ints and strings do), so
compiling can tell which argument goes where; anything else is refused when it compiles.
Model querysets and `values_list` of plain columns are supported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

T = TypeVar("T")
Placeholder = int | str


@dataclass(frozen=True)
class _Compiled:
    compiler: SQLCompiler
    sql: str
    positions: tuple[int, ...]  # which argument each SQL parameter is
    converters: dict[int, Any]
    col_count: int | None  # cut rows to this many columns (extra selects), or None
    model: type[Model] | None  # None: rows as tuples
    model_span: tuple[int, int]
    init_list: list[str]
    populators: list[Any]
    annotations: dict[str, int]


class Prepared(Generic[T]):
    """A read compiled once per connection; call it with the arguments `build` takes."""

    def __init__(self, build: Callable[..., QuerySet[Any, T]], *placeholders: Placeholder) -> None:
        if len(set(placeholders)) != len(placeholders):
            raise ImproperlyConfigured("Prepared: every placeholder must be distinct")
        self._build = build
        self._placeholders = placeholders
        self._key = f"_meetops_prepared_{id(self)}"

    def __call__(self, *args: Placeholder, using: str = DEFAULT_DB_ALIAS) -> list[T]:
        connection = connections[using]
        compiled: _Compiled | None = connection.__dict__.get(self._key)
        if compiled is None:
            compiled = self._compile(connection, using)
            connection.__dict__[self._key] = compiled
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, [args[i] for i in compiled.positions])
            rows: Sequence[Any] = cursor.fetchall()
        if compiled.col_count is not None:
            rows = [row[: compiled.col_count] for row in rows]
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
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
        queryset = self._build(*self._placeholders)
        query = queryset.query
        compiler = query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        positions = []
        for param in params:
            matches = [
                n for n, p in enumerate(self._placeholders) if type(p) is type(param) and p == param
            ]
            if len(matches) != 1:
                raise ImproperlyConfigured(f"Prepared: parameter {param!r} is no placeholder")
            positions.append(matches[0])
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        col_count = compiler.col_count if compiler.has_extra_select else None
        iterable = queryset._iterable_class
        if iterable is ValuesListIterable and not (query.annotation_select or query.extra_select):
            return _Compiled(
                compiler, sql, tuple(positions), converters, col_count, None, (0, 0), [], [], {}
            )
        if iterable is not ModelIterable or compiler.klass_info is None:
            raise ImproperlyConfigured("Prepared: model querysets and plain values_list only")
        klass_info = compiler.klass_info
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        return _Compiled(
            compiler,
            sql,
            tuple(positions),
            converters,
            col_count,
            klass_info["model"],
            (start, end),
            [f[0].target.attname for f in compiler.select[start:end]],
            get_related_populators(klass_info, compiler.select, using),
            dict(compiler.annotation_col_map or {}),
        )
