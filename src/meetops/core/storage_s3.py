"""Uploads in an S3-compatible bucket, deleted again when their transaction rolls back.

Apart from `storage.py` so that a server without a bucket never imports boto3.
"""

from __future__ import annotations

from typing import IO, Any

from storages.backends.s3 import S3Storage

from meetops.core.storage import on_rollback


class BucketStorage(S3Storage):
    """django-storages' S3 backend; an object stored in a transaction that rolls back goes."""

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        stored: str = super().save(name, content, max_length)
        on_rollback(lambda: self.delete(stored))
        return stored
