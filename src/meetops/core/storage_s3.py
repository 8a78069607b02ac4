"""Uploads in an S3-compatible bucket, deleted again when their transaction rolls back.

Apart from `storage.py` so that a server without a bucket never imports boto3.
"""

from __future__ import annotations

from typing import Any

from storages.backends.s3 import S3Storage

from meetops.core.storage import on_rollback


class BucketStorage(S3Storage):
    """django-storages' S3 backend; an object stored in a transaction that rolls back goes."""

    def _save(self, name: str, content: Any) -> str:
        stored: str = super()._save(name, content)
        on_rollback(lambda: self.delete(stored))
        return stored
