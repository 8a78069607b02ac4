"""Issue 14, "one validation layer": every date, amount and id the API accepts uses the shared type.

Generated from the mounted API, so a new endpoint with a plain `datetime`,
`date` or `Decimal` in its input fails here until it uses `SaneDatetime`,
`SaneDate` or `Money` from core/validation.py, or an unbounded `*_id` int
instead of `DbId` (an id past 64 bits overflows the database driver).
"""

from __future__ import annotations

import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import AfterValidator, BaseModel, WrapValidator

from meetops.config.api import api
from meetops.core import validation


def _ours(metadata: list[Any]) -> set[str]:
    kinds = set()
    for item in metadata:
        func = getattr(item, "func", None)
        if isinstance(item, AfterValidator) and func in validation.SANE_VALIDATORS:
            kinds.add("date")
        if isinstance(item, WrapValidator) and func is validation._money:
            kinds.add("money")
    return kinds


def _offenders(annotation: Any, metadata: list[Any], where: str, seen: set[type]) -> list[str]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        # A nested `Field(...)` carries its constraints in its own metadata.
        flat = [m for item in extra for m in (item, *getattr(item, "metadata", []))]
        return _offenders(base, [*metadata, *flat], where, seen)
    if origin in (typing.Union, types.UnionType, list, tuple, set, dict, typing.Literal):
        if origin is typing.Literal:
            return []
        found = []
        for arg in typing.get_args(annotation):
            found += _offenders(arg, metadata, where, seen)
        return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return []
        seen.add(annotation)
        found = []
        for name, info in annotation.model_fields.items():
            found += _offenders(info.annotation, list(info.metadata), f"{where}.{name}", seen)
        return found
    if annotation is int and _names_an_id(where) and not _bounded_int(metadata):
        return [f"{where}: int (use DbId)"]
    if annotation in (datetime, date) and "date" not in _ours(metadata):
        return [f"{where}: {annotation.__name__} (use SaneDatetime / SaneDate)"]
    if annotation is Decimal and "money" not in _ours(metadata) and not _bounded(metadata):
        return [f"{where}: Decimal (use Money)"]
    return []


def _names_an_id(where: str) -> bool:
    # Path ids are bounded where the URLs are made (MeetOpsAPI); bodies and queries here.
    name = where.rsplit(".", 1)[-1]
    return where.count(".") >= 2 and name.endswith(("_id", "_ids"))


def _bounded_int(metadata: list[Any]) -> bool:
    return any(getattr(m, "le", None) is not None for m in metadata)


def _bounded(metadata: list[Any]) -> bool:
    # A score such as a satisfaction target (1.0–5.0) is a bounded Decimal, not money.
    return any(getattr(m, "le", None) is not None for m in metadata) and any(
        getattr(m, "decimal_places", None) is not None for m in metadata
    )


def input_offenders() -> list[str]:
    found: list[str] = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                label = f"{'/'.join(operation.methods)} {prefix.rstrip('/')}{path}"
                for model in operation.models:
                    found += _offenders(model, [], label, set())
    return sorted(set(found))


def test_every_date_and_amount_in_api_input_uses_the_shared_types():
    assert input_offenders() == []


def test_the_walk_finds_a_plain_datetime():
    class Probe(BaseModel):
        when: datetime | None = None

    assert _offenders(Probe, [], "probe", set()) == [
        "probe.when: datetime (use SaneDatetime / SaneDate)"
    ]
