"""Recording and verifying the audit log.

Every service write calls `record(...)` inside its transaction. Where the
request came from (web, API, CLI, task) and the client address are carried by
a context variable that the interface sets once (`audit_context`), so services
stay free of request objects.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from meetops.core import seal
from meetops.core.models import AuditEntry, AuditSource
from meetops.core.prepared import insert_after, insert_where
from meetops.core.registry import Store, calling_owner, registry


@dataclass(frozen=True)
class AuditContext:
    source: str = AuditSource.SYSTEM
    ip_address: str | None = None


_DEFAULT_CONTEXT = AuditContext()
_context: contextvars.ContextVar[AuditContext] = contextvars.ContextVar(
    "meetops_audit_context",
    default=_DEFAULT_CONTEXT,  # a frozen dataclass: immutable
)


@contextmanager
def audit_context(source: str, ip_address: str | None = None) -> Iterator[None]:
    token = _context.set(AuditContext(source=source, ip_address=ip_address))
    try:
        yield
    finally:
        _context.reset(token)


def current_context() -> AuditContext:
    return _context.get()


def stream_of(obj: models.Model) -> tuple[str, str, str]:
    """(object_type, object_id, stream) for a model instance.

    The object type is the model's short name (`meeting`), as API callers filter by it.
    """
    object_type = obj._meta.model_name or obj._meta.label_lower
    return object_type, str(obj.pk), f"{object_type}:{obj.pk}"


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def record_changes(
    action: str,
    obj: models.Model,
    *,
    actor: Any | None,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    data: Mapping[str, Any] | None = None,
) -> dict[str, list[Any]]:
    """Audit an edit by what it changed, `diff(before, after)`; a save that changed nothing
    writes no entry. Returns the changes: empty means the save was a no-op, so the caller can
    skip its write and tell the person nothing changed."""
    changes = diff(before, after)
    if changes:
        record(action, obj, actor=actor, changes=changes, data=data)
    return changes


_UNCHANGED = "_meetops_saved_nothing"


def note_outcome(obj: models.Model, changes: Mapping[str, Any]) -> None:
    """Mark the instance an edit service returns with whether the save changed anything, so
    the interface that called it can say "nothing changed" (`nothing_changed(obj)`) without
    the service changing what it returns."""
    setattr(obj, _UNCHANGED, not changes)


def nothing_changed(obj: models.Model) -> bool:
    """True when the edit service that returned `obj` found nothing to change and wrote nothing
    (see `note_outcome`); False for an instance no such service marked."""
    return bool(getattr(obj, _UNCHANGED, False))


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """Field values (foreign keys by id) for a before/after comparison."""
    return {name: obj.serializable_value(name) for name in fields}


def _jsonable(value: Any) -> Any:
    # Hash what the database will give back, not the Python objects we hold.
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def entry_for(
    action: str,
    obj: models.Model,
    *,
    actor: Any | None,
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    last: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """The entry `record` appends for `obj` after `last` (the stream's head: its `seq` and
    `hash`; None for the stream's first entry), built and sealed but not written."""
    ctx = current_context()
    object_type, object_id, stream = stream_of(obj)
    actor_user = actor if getattr(actor, "pk", None) else None
    entry = AuditEntry(
        created_at=timezone.now(),
        actor_id=actor_user.pk if actor_user else None,
        actor_name=(actor_user.get_username() if actor_user else "system")[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:300],
        changes=_jsonable(dict(changes or {})),
        data=_jsonable(dict(data or {})),
        source=ctx.source,
        ip_address=ctx.ip_address,
        stream=stream,
        seq=(last["seq"] + 1) if last else 1,
        prev_hash=last["hash"] if last else "",
        algorithm=seal.current_algorithm(),
    )
    entry.hash = entry.compute_hash()
    return entry


def record(
    action: str,
    obj: models.Model,
    *,
    actor: Any | None,
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    new_stream: bool = False,
) -> AuditEntry:
    """Append an entry for `obj` to its stream. Call inside the write's transaction.

    `new_stream=True` is for an object inserted by this same transaction (ADR 0014): no one
    else can see it yet, so its stream is empty and the entry is its first, written in one
    statement without reading the head. Keys are never reused (PostgreSQL sequences,
    SQLite AUTOINCREMENT), so a taken `(stream, 1)` means the claim was false and the
    unique constraint fails the transaction rather than fork the chain.
    """

    def entry_after(last: Mapping[str, Any] | None) -> AuditEntry:
        entry = entry_for(action, obj, actor=actor, changes=changes, data=data, last=last)
        # One plain INSERT (no save() machinery): an entry is written on every audited write.
        insert_where(entry, "1 = 1", [], plan_once=True)
        return entry

    if new_stream:
        return entry_after(None)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                last = (
                    AuditEntry.objects.filter(stream=stream_of(obj)[2])
                    .order_by("-seq")
                    .values("seq", "hash")
                    .first()
                )
                return entry_after(last)
        except IntegrityError:
            # Another writer appended to this stream between our read and insert.
            continue
    raise RuntimeError(f"could not append to audit stream {stream_of(obj)[2]}")


def insert_recorded(
    insert: str,
    params: Sequence[Any],
    action: str,
    obj: models.Model,
    *,
    actor: Any | None,
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEntry | None:
    """Write a new object's row and its stream's first entry in ONE statement (PostgreSQL).

    `insert` is the object's `INSERT … RETURNING` (of one row or none), `obj` the object
    with the primary key `insert` writes already set (drawn from its sequence before, e.g.
    `core.prepared.NextId`), so that its entry (stream, object id, seal) is built before the
    write. The entry is exactly `record(..., new_stream=True)`'s (`entry_for`); it is
    written if and only if the row is, in the same statement, so no transaction is needed
    (ADR 0019, fifth pass). Returns the entry, or None when `insert` wrote nothing.
    """
    if obj.pk is None:
        raise ValueError("insert_recorded: the new object's id must be chosen before")
    entry = entry_for(action, obj, actor=actor, changes=changes, data=data)
    if not insert_after(insert, params, entry, plan_once=True):
        return None
    return entry


@dataclass
class ChainBreak:
    stream: str
    seq: int
    entry_id: int | None
    reason: str


def verify(
    batch_size: int = 2000, *, against_checkpoint: bool = True
) -> tuple[int, list[ChainBreak]]:
    """Recompute every stream's chain and compare its head with the last signed checkpoint.

    Returns (entries checked, breaks found). Within the table: altered or re-sealed entries
    (the seal needs MEETOPS_AUDIT_KEY), broken links, gaps, unkeyed entries where keyed ones
    belong. Against the checkpoint (`core/checkpoints.py`): streams cut short or rewritten.
    """
    from meetops.core import checkpoints  # a cycle: checkpoints imports this module's ChainBreak

    breaks: list[ChainBreak] = []
    checkpoint = None
    if against_checkpoint:
        checkpoint, problem = checkpoints.latest()
        if problem:
            breaks.append(ChainBreak("checkpoint", 0, None, problem))
    ceiling = checkpoint.legacy_ceiling if checkpoint else None
    checked = 0
    previous: dict[str, tuple[int, str]] = {}
    keyed: set[str] = set()
    at_checkpoint: dict[str, tuple[int, str]] = {}
    queryset = AuditEntry.objects.order_by("stream", "seq")
    for entry in queryset.iterator(chunk_size=batch_size):
        checked += 1
        stream = entry.stream
        expected_seq, expected_prev = previous.get(stream, (0, ""))
        if entry.seq != expected_seq + 1:
            breaks.append(
                ChainBreak(stream, entry.seq, entry.pk, "missing entries before this one")
            )
        elif entry.prev_hash != expected_prev:
            breaks.append(ChainBreak(stream, entry.seq, entry.pk, "previous hash does not match"))
        if entry.algorithm == seal.LEGACY and (
            stream in keyed or (ceiling is not None and entry.pk > ceiling)
        ):
            breaks.append(
                ChainBreak(stream, entry.seq, entry.pk, "entry is not sealed with the key")
            )
        elif not seal.matches(entry.canonical(), entry.algorithm, entry.hash):
            breaks.append(ChainBreak(stream, entry.seq, entry.pk, "entry was altered"))
        if entry.algorithm != seal.LEGACY:
            keyed.add(stream)
        if checkpoint and checkpoint.streams.get(stream, (0, ""))[0] == entry.seq:
            at_checkpoint[stream] = (entry.pk, entry.hash)
        previous[stream] = (entry.seq, entry.hash)
    if checkpoint:
        breaks += checkpoints.compare(checkpoint, previous, at_checkpoint)
    return checked, breaks


# The core registry's "audit_labels" store: an action code labelled by two apps is refused.
_action_labels: Store[Any] = registry["audit_labels"]
_data_key_labels: dict[str, Any] = {}
_value_labels: dict[str, dict[str, Any]] = {}
_discovered = False


def label_actions(labels: Mapping[str, Any]) -> None:
    """Give audit action codes a readable, translated name (lazy gettext) for the audit pages.

    An app calls it from its `audit_labels.py` module, which its `contributions.py` imports.
    A code without a label is shown as the code itself, which stays stable and searchable.
    """
    owner = calling_owner()
    for code, label in labels.items():
        _action_labels.register(code, label, owner=owner)


def label_data_keys(labels: Mapping[str, Any]) -> None:
    """Give the keys of audit `data` a readable, translated name (lazy gettext).

    Keys are shared across apps (`reason`, `room`, `start`), so one label serves them all;
    a key without a label is shown as itself.
    """
    _data_key_labels.update(labels)


def label_values(key: str, labels: Mapping[str, Any]) -> None:
    """Readable names for the coded values a `data` key holds, e.g. `stage` → Stage choices.

    Fields of the audited model with choices need nothing: their choices are used.
    """
    _value_labels.setdefault(key, {}).update(labels)


def _discover() -> None:
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("audit_labels")
        _discovered = True


def action_labels() -> Mapping[str, Any]:
    """Every registered label, after importing each installed app's `audit_labels` module."""
    _discover()
    return _action_labels


def data_key_labels() -> Mapping[str, Any]:
    """Every registered label of a `data` key (see `label_data_keys`)."""
    _discover()
    return _data_key_labels


def value_labels(key: str) -> Mapping[str, Any]:
    """The registered names of the coded values of one `data` key (see `label_values`)."""
    _discover()
    return _value_labels.get(key, {})
