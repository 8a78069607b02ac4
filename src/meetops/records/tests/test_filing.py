"""Filing a meeting gathers the files the other apps produced, names them by the rule, numbers the dossier."""

from __future__ import annotations

import hashlib

import pytest

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.core.tests.test_storage_s3 import s3  # noqa: F401 (the bucket fixture)
from meetops.records import services
from meetops.records.models import Dossier
from meetops.records.tests.conftest import PDF, conclude, upload


@pytest.mark.django_db
def test_filing_gathers_real_files_from_other_apps(full, recorder):
    dossier, added = services.file_meeting(full, actor=recorder)
    sources = {d.source.split(":")[0]: d for d in added}
    assert set(sources) == {
        "agenda.plan",
        "agenda.material",
        "minutes.pdf",
        "reports.pdf",
        "attendance.sheet",
        "budget.statement",
        "budget.receipt",
        "risks.emergency_plan",
        "policy.step",
    }
    categories = {s: d.category.code for s, d in sources.items()}
    assert categories["minutes.pdf"] == "minutes" and categories["agenda.material"] == "speech"
    assert categories["attendance.sheet"] == "signin" and categories["budget.receipt"] == "finance"
    for document in added:
        version = document.current
        with version.file.open("rb") as f:
            data = f.read()
        assert hashlib.sha256(data).hexdigest() == version.sha256 and version.size == len(data)
        assert version.created_by == recorder
    assert sources["minutes.pdf"].current.file.open("rb").read().startswith(b"%PDF-")
    # text extracted for search, from the PDF and the DOCX
    assert "同意增加差旅预算" in sources["minutes.pdf"].current.text
    assert "数字校园" in sources["agenda.material"].current.text
    # the minutes and report are kept permanently, so the dossier is
    assert dossier.retention.code == "permanent" and dossier.retain_until is None
    entry = AuditEntry.objects.get(action="records.dossier.filed")
    assert (
        entry.data["archive_number"] == dossier.archive_number and len(entry.data["documents"]) == 9
    )


@pytest.mark.django_db
def test_file_names_follow_the_naming_rule(full, recorder):
    dossier, added = services.file_meeting(full, actor=recorder)
    day = full.start.astimezone().strftime("%Y%m%d")
    minutes = next(d for d in added if d.source == "minutes.pdf")
    assert minutes.current.file_name == f"{day}_季度工作会议_会议记录-纪要_{minutes.seq:02d}.pdf"
    material = next(d for d in added if d.source.startswith("agenda.material"))
    assert material.current.file_name.endswith(f"_讲话材料_{material.seq:02d}.docx")
    assert len({d.current.file_name for d in added}) == len(added)
    year = full.start.astimezone().year
    assert dossier.archive_number == f"{year}-REGULAR-0001"


@pytest.mark.django_db
def test_filing_again_adds_only_what_is_new(concluded, organiser, recorder, host, written):
    dossier, first = services.file_meeting(concluded, actor=organiser)
    assert {d.source for d in first} == {"agenda.plan", "attendance.sheet"}  # minutes still a draft
    from meetops.minutes import services as minutes

    minutes.submit_minutes(written, actor=recorder)
    minutes.approve_minutes(written, actor=host)
    again, second = services.file_meeting(concluded, actor=recorder)
    assert again.pk == dossier.pk and again.archive_number == dossier.archive_number
    assert [d.source for d in second] == ["minutes.pdf"]
    assert dossier.documents.count() == 3


@pytest.mark.django_db
def test_only_after_the_meeting_and_only_filers(meeting, organiser, member, archivist):
    with pytest.raises(DomainError) as exc:
        services.file_meeting(meeting, actor=organiser)
    assert exc.value.code == "cannot_file"
    conclude(meeting)
    with pytest.raises(DomainError) as exc:
        services.file_meeting(meeting, actor=member)
    assert exc.value.code == "cannot_file"
    services.file_meeting(meeting, actor=archivist)
    assert Dossier.objects.get().filed_by == archivist


@pytest.mark.django_db
def test_manual_upload_is_checked_by_content(concluded, organiser):
    dossier, _ = services.file_meeting(concluded, actor=organiser)
    with pytest.raises(DomainError) as exc:
        services.add_document(
            dossier,
            actor=organiser,
            category=_cat("survey"),
            title="问卷",
            upload=upload("q.pdf", b"MZ\x90\x00"),
        )
    assert exc.value.code == "file_type_refused"
    doc = services.add_document(
        dossier,
        actor=organiser,
        category=_cat("survey"),
        title="问卷汇总",
        upload=upload("q.pdf", PDF),
    )
    assert doc.current.media_type == "application/pdf" and doc.category.code == "survey"
    assert AuditEntry.objects.filter(action="records.document.added").count() == 1


def _cat(code):
    from meetops.records.models import Category

    return Category.objects.get(code=code)


@pytest.mark.django_db
@pytest.mark.parametrize("storage", ["local", "bucket"])
def test_a_failed_filing_leaves_no_files_behind(
    storage, concluded, organiser, monkeypatch, request, settings, tmp_path
):
    """The files are stored before the filing's last step fails; core.storage deletes them
    when the filing's transaction rolls back (on disk, and in an S3 bucket)."""
    from meetops.core import audit

    if storage == "bucket":
        bucket = request.getfixturevalue("s3")

        def held() -> list[str]:
            return [
                o["Key"] for o in bucket.list_objects_v2(Bucket="meetops-files").get("Contents", [])
            ]
    else:
        settings.MEDIA_ROOT = tmp_path

        def held() -> list[str]:
            return [str(p) for p in tmp_path.rglob("*") if p.is_file()]

    stored: list[str] = []

    def broken(*args, **kwargs):
        stored.extend(held())  # the documents are in storage when the filing fails
        raise RuntimeError("audit down")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.file_meeting(concluded, actor=organiser)
    assert len(stored) == 2 and held() == []  # the plan and the attendance sheet, gone
    assert not Dossier.objects.exists()
