"""The audit log: an append-only, hash-chained record of every write.

Entries are chained per *stream* (one stream per audited object, e.g.
`meeting:42`), not globally: a global chain would make every write in
the system wait on one "last entry" row. Per stream, writers of unrelated
objects never touch the same row; a unique (stream, seq) constraint stops two
writers from forking one stream. `meetops audit verify` recomputes each chain;
the seals are keyed and the heads checkpointed outside the table (ADR 0011).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.core import seal


class AuditSource(models.TextChoices):
    UI = "ui", _("Web")
    API = "api", _("API")
    CLI = "cli", _("Command line")
    TASK = "task", _("Background task")
    SYSTEM = "system", _("System")
    # A decision taken from a button on a work IM message (WeCom, DingTalk, Feishu).
    IM = "im", _("Work IM")


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(pgettext_lazy("audit", "object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, encoder=DjangoJSONEncoder, blank=True)
    data = models.JSONField(_("details"), default=dict, encoder=DjangoJSONEncoder, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=AuditSource.choices)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    stream = models.CharField(max_length=100)
    seq = models.PositiveIntegerField()
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)
    # What made `hash` (core/seal.py): entries from before keyed seals say "sha256".
    algorithm = models.CharField(max_length=20, default=seal.LEGACY)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["stream", "seq"], name="audit_stream_seq_unique"),
        ]
        indexes = [models.Index(fields=["object_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def canonical(self) -> bytes:
        """The bytes the hash covers: every field a reader relies on."""
        payload: dict[str, Any] = {
            "created_at": self.created_at.isoformat(),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "changes": self.changes,
            "data": self.data,
            "source": self.source,
            "ip_address": self.ip_address,
            "stream": self.stream,
            "seq": self.seq,
            "prev_hash": self.prev_hash,
        }
        if self.algorithm != seal.LEGACY:
            # Sealed with the rest, so an entry cannot be passed off as another algorithm's.
            payload["algorithm"] = self.algorithm
        return json.dumps(
            payload, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False
        ).encode()

    def compute_hash(self) -> str:
        """The entry's seal by its own algorithm: keyed (MEETOPS_AUDIT_KEY) unless legacy."""
        return seal.seal(self.canonical(), self.algorithm)


class JobRun(models.Model):
    """When a periodic job last ran and when it is next due; claimed by compare-and-set."""

    name = models.CharField(max_length=200, unique=True)
    next_run_at = models.DateTimeField()
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_worker = models.CharField(max_length=100, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        # Kept under its first name: the scheduler moved from notifications to core.
        db_table = "notifications_jobrun"
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobSlot(models.Model):
    """One run of a periodic job for one slot of its period: the claim that makes it run once.

    A job every N seconds has slots aligned on the epoch (`slot` is the slot's start, UTC).
    Whoever inserts the (job, slot) row runs the job; the unique constraint refuses
    everyone else on any database. The runner holds the slot until `lease_until`; a
    runner that died leaves the row unfinished with its lease run out, and the next
    worker takes the slot over (`attempts` + 1).
    """

    job = models.CharField(max_length=200)
    slot = models.DateTimeField()
    worker = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField()
    lease_until = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="jobslot_once_per_slot"),
        ]
        indexes = [models.Index(fields=["finished_at", "lease_until"], name="jobslot_open")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M:%S}"


class SearchDocument(models.Model):
    """The normalised text of one searchable object (`kind` names the object's type).

    Written only by `core.textsearch`; the full-text index over `grams` is made by migrations
    0007 and 0008 for each database (an FTS5 table on SQLite; on PostgreSQL a GIN index on
    the stored column `grams_tsv`, which the model does not name: the database computes it)."""

    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    text = models.TextField(blank=True)
    grams = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
