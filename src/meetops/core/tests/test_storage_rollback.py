"""A file stored inside a transaction that rolls back does not stay in storage (core/storage.py).

On the real storage the settings configure (files under MEDIA_ROOT, here a temporary folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from meetops.core.errors import ValidationFailed
from meetops.core.storage import LocalStorage
from meetops.training import services as training

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _stored(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def _add_material(admin: Any, title: str = "讲义") -> Any:
    course = training.create_course(actor=admin, title="会务基础", hours=3)
    upload = SimpleUploadedFile("slides.pdf", PDF, content_type="application/pdf")
    return training.add_material(course, actor=admin, title=title, upload=upload)


def test_the_configured_storage_is_the_one_that_cleans_up() -> None:
    assert isinstance(storages["default"], LocalStorage)


@pytest.mark.django_db
def test_a_file_saved_before_the_form_is_refused_leaves_no_file(media: Path, admin_user: Any):
    with pytest.raises(ValidationFailed), transaction.atomic():
        material = _add_material(admin_user)
        assert _stored(media) == [material.file.name]
        # A later check of the same form refuses: everything the form did is undone.
        raise ValidationFailed("refused", "invalid_input", field="title")
    assert _stored(media) == []


@pytest.mark.django_db
def test_a_savepoint_undone_takes_its_file_and_leaves_the_others(media: Path, admin_user: Any):
    with transaction.atomic():
        kept = _add_material(admin_user, "留下")
        with pytest.raises(ValidationFailed), transaction.atomic():
            _add_material(admin_user, "撤回")
            raise ValidationFailed("refused", "invalid_input")
    assert _stored(media) == [kept.file.name]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_file_stays_and_a_rolled_back_one_goes(media: Path, admin_user: Any):
    kept = _add_material(admin_user)
    with pytest.raises(ValidationFailed), transaction.atomic():
        _add_material(admin_user, "撤回")
        raise ValidationFailed("refused", "invalid_input")
    assert _stored(media) == [kept.file.name]
    assert (media / kept.file.name).read_bytes() == PDF
