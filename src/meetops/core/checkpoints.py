"""Signed checkpoints of every audit stream's head, kept outside the audit table (ADR 0011).

A keyed seal stops an entry from being rewritten, but not from being deleted: cutting
the newest entries off a stream leaves a shorter chain that verifies. A checkpoint
records, for every stream, its last sequence number and seal, signed with the audit key,
in a file under MEETOPS_AUDIT_CHECKPOINT_DIR (and in every backup). `meetops audit
verify` compares the table with the newest checkpoint whose signature holds: a stream
that is shorter than it was, or whose checkpointed entry changed, is reported.

A new checkpoint is refused while the table no longer holds what the previous one
signed, so a truncation is never blessed by the next periodic run.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext as _

from meetops.core import seal
from meetops.core.audit import ChainBreak
from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry

logger = logging.getLogger(__name__)

FORMAT = 1
PREFIX = "audit-checkpoint-"
SUFFIX = ".json"
KEEP = 48
CHECKPOINT_JOB = "core.audit_checkpoint"


class CheckpointError(DomainError):
    """A checkpoint could not be written: the log lost what the previous one signed."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message, "audit_checkpoint_refused")


@dataclass(frozen=True)
class Checkpoint:
    path: Path
    created_at: str
    algorithm: str
    legacy_ceiling: int  # unkeyed entries are accepted up to this id only
    streams: dict[str, tuple[int, str]]  # stream -> (last seq, its seal)


def checkpoint_dir() -> Path:
    return Path(settings.MEETOPS_AUDIT_CHECKPOINT_DIR)


def _signed_bytes(body: dict[str, Any]) -> bytes:
    unsigned = {k: v for k, v in body.items() if k != "signature"}
    return json.dumps(unsigned, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _load(path: Path) -> Checkpoint | None:
    """The checkpoint in `path`, or None when it cannot be read or its signature fails."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        if body.get("format") != FORMAT or not seal.matches(
            _signed_bytes(body), body["algorithm"], body["signature"]
        ):
            return None
        streams = {name: (int(seq), str(h)) for name, (seq, h) in body["streams"].items()}
        return Checkpoint(
            path, body["created_at"], body["algorithm"], int(body["legacy_ceiling"]), streams
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def latest(directory: Path | None = None) -> tuple[Checkpoint | None, str]:
    """The newest checkpoint whose signature holds, and a problem met on the way ("" if none)."""
    folder = Path(directory or checkpoint_dir())
    files = sorted(folder.glob(f"{PREFIX}*{SUFFIX}"), reverse=True) if folder.is_dir() else []
    problem = ""
    for path in files:
        found = _load(path)
        if found is not None:
            return found, problem
        problem = problem or f"checkpoint {path.name} cannot be read or its signature fails"
    return None, problem


def compare(
    checkpoint: Checkpoint,
    heads: dict[str, tuple[int, str]],
    at_checkpoint: dict[str, tuple[int, str]],
) -> list[ChainBreak]:
    """What the table lost or changed since `checkpoint`.

    `heads`: stream -> (last seq, seal) now; `at_checkpoint`: stream -> (entry id, seal) of
    the entry now at the checkpointed sequence number.
    """
    breaks = []
    when = checkpoint.created_at
    for stream, (seq, signed) in sorted(checkpoint.streams.items()):
        head = heads.get(stream, (0, ""))[0]
        if head < seq:
            missing = f"entry {seq}" if head + 1 == seq else f"entries {head + 1} to {seq}"
            breaks.append(
                ChainBreak(stream, head + 1, None, f"{missing} deleted (checkpoint of {when})")
            )
        elif stream in at_checkpoint and at_checkpoint[stream][1] != signed:
            entry_id = at_checkpoint[stream][0]
            breaks.append(
                ChainBreak(stream, seq, entry_id, f"entry differs from the checkpoint of {when}")
            )
    return breaks


def _scan(previous: Checkpoint | None) -> tuple[dict[str, tuple[int, str]], dict[str, Any]]:
    """One pass over the narrow columns: every stream's head, and the entries `previous` signed."""
    heads: dict[str, tuple[int, str]] = {}
    head_ids: dict[str, int] = {}
    at_previous: dict[str, tuple[int, str]] = {}
    wanted = previous.streams if previous else {}
    rows = AuditEntry.objects.values_list("pk", "stream", "seq", "hash")
    for pk, stream, seq, sealed in rows.iterator(chunk_size=5000):
        if seq > heads.get(stream, (0, ""))[0]:
            heads[stream] = (seq, sealed)
            head_ids[stream] = pk
        if wanted.get(stream, (0, ""))[0] == seq:
            at_previous[stream] = (pk, sealed)
    return heads, {"head_ids": head_ids, "at_previous": at_previous}


def _unsealed_heads(head_ids: dict[str, int]) -> list[str]:
    """Streams whose newest entry does not carry a valid seal (checked before signing it)."""
    bad = []
    ids = list(head_ids.values())
    for start in range(0, len(ids), 500):
        for entry in AuditEntry.objects.filter(pk__in=ids[start : start + 500]):
            if not seal.matches(entry.canonical(), entry.algorithm, entry.hash):
                bad.append(entry.stream)
    return sorted(bad)


def _refused(problems: str) -> str:
    return _("The audit log was tampered with; no checkpoint was signed: %(problems)s") % {
        "problems": problems
    }


def write_checkpoint(*, directory: Path | None = None, now: datetime | None = None) -> Checkpoint:
    """Sign every stream's head into a new file in `directory`; keep the newest KEEP.

    Refused (CheckpointError) when a stream lost or changed what the previous checkpoint
    signed, or a head's seal fails: signing then would hide the tampering.
    """
    folder = Path(directory or checkpoint_dir())
    previous, problem = latest(folder)
    if problem:
        # A newer file that fails its signature is evidence too: never bury it under a new one.
        raise CheckpointError(_refused(problem))
    heads, found = _scan(previous)
    problems = [
        f"{b.stream} seq {b.seq}: {b.reason}"
        for b in (compare(previous, heads, found["at_previous"]) if previous else [])
    ]
    problems += [
        f"{stream}: head entry was altered" for stream in _unsealed_heads(found["head_ids"])
    ]
    if problems:
        raise CheckpointError(_refused("; ".join(problems)))
    if previous is not None:
        ceiling = previous.legacy_ceiling
    else:
        legacy = AuditEntry.objects.filter(algorithm=seal.LEGACY).aggregate(top=Max("pk"))
        ceiling = legacy["top"] or 0
    moment = now or datetime.now(UTC)
    algorithm = seal.current_algorithm()
    body: dict[str, Any] = {
        "format": FORMAT,
        "created_at": moment.isoformat(),
        "algorithm": algorithm,
        "legacy_ceiling": ceiling,
        "streams": {stream: [seq, h] for stream, (seq, h) in sorted(heads.items())},
    }
    body["signature"] = seal.seal(_signed_bytes(body), algorithm)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{PREFIX}{moment:%Y%m%dT%H%M%S%fZ}{SUFFIX}"
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(body, ensure_ascii=False, indent=0), encoding="utf-8")
    os.replace(partial, path)
    for old in sorted(folder.glob(f"{PREFIX}*{SUFFIX}"), reverse=True)[KEEP:]:
        old.unlink(missing_ok=True)
    logger.info("audit checkpoint %s: %d streams", path.name, len(heads))
    return Checkpoint(path, body["created_at"], algorithm, ceiling, heads)


def run_scheduled_checkpoint() -> str:
    """The periodic job: a failure raises, so the worker shows it on the job's row."""
    return write_checkpoint().path.name
