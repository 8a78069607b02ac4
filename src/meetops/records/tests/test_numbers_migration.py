"""Upgrading to per-件 archive numbers (records 0004): dossiers keep the numbers they had, the
documents already filed keep theirs, and what is filed afterwards follows the new rule."""

from __future__ import annotations

import pytest
from django.db import connection

from meetops.core.tests.migrating import migrate, migrate_to_latest
from meetops.records import services
from meetops.records.models import Category, Document, Dossier, Scheme
from meetops.records.tests.conftest import PDF, conclude, upload

BEFORE = [("records", "0003_access_log_dossier_views")]
AFTER = [("records", "0004_archive_numbers_per_item")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_numbers_stay_and_new_items_follow_the_new_rule(make_meeting, organiser, archivist):
    dossier, _ = services.file_meeting(conclude(make_meeting(title="旧会议")), actor=organiser)
    year = dossier.year
    Dossier.objects.filter(pk=dossier.pk).update(archive_number=f"{year}-REGULAR-0007")
    documents_before = set(Document.objects.values_list("pk", "title"))
    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:  # the old schema: no per-件 numbers at all
            columns = [
                c.name
                for c in connection.introspection.get_table_description(cursor, "records_document")
            ]
        assert "archive_number" not in columns
    finally:
        migrate(AFTER)
        migrate_to_latest()
    dossier.refresh_from_db()
    assert dossier.archive_number == f"{year}-REGULAR-0007"
    assert set(Document.objects.values_list("pk", "title")) == documents_before
    assert not Document.objects.exclude(archive_number=None).exists()  # nothing invented
    assert all(d.retention_id == d.category.retention_id for d in Document.objects.all())
    assert Scheme.objects.get().number_pattern == "{year}-{kind}-{seq:04d}"

    added = services.add_document(
        dossier,
        actor=archivist,
        category=Category.objects.get(code="minutes"),
        title="补充纪要",
        upload=upload("纪要.pdf", PDF),
    )
    assert added.archive_number == f"WS·{year}-Y-0001"
    dossier.refresh_from_db()
    assert dossier.archive_number == f"{year}-REGULAR-0007"
