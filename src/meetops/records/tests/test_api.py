"""The archive API: personas, one error shape, downloads checked against their checksum, corrections."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from meetops.core.models import AuditEntry
from meetops.records import services
from meetops.records.models import AccessLog, DocumentVersion
from meetops.records.tests.conftest import PDF, conclude


@pytest.fixture
def filed(concluded, organiser):
    dossier, _added = services.file_meeting(concluded, actor=organiser)
    return dossier


def _multipart(api, path, data):
    return api.client.post(path, data, headers=api.headers)


@pytest.mark.django_db
def test_filing_through_the_api_then_gathering_again(api_as, concluded, recorder):
    api = api_as(recorder)
    first = api.post("/api/v1/archive/dossiers", {"meeting_id": concluded.pk})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["archive_number"].endswith("-0001") and body["meeting_id"] == concluded.pk
    assert {d["category"] for d in body["documents"]} == {"agenda", "signin"}
    assert body["missing_categories"] == ["minutes"]
    again = api.post("/api/v1/archive/dossiers", {"meeting_id": concluded.pk})
    assert again.status_code == 200 and again.json()["id"] == body["id"]


@pytest.mark.django_db
def test_personas_see_what_the_meeting_allows(
    api_as, filed, organiser, member, outsider, archivist
):
    """Internal meeting: everyone signed in reads; only filers and archivists change it."""
    for user in (organiser, member, outsider, archivist):
        assert api_as(user).get(f"/api/v1/archive/dossiers/{filed.pk}").status_code == 200
    refused = api_as(member).post("/api/v1/archive/dossiers", {"meeting_id": filed.meeting_id})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "cannot_file"
    denied = _multipart(
        api_as(outsider),
        f"/api/v1/archive/dossiers/{filed.pk}/documents",
        {"category": "survey", "title": "问卷", "file": _file("q.pdf", PDF)},
    )
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"


@pytest.mark.django_db
def test_confidential_dossier_is_404_for_outsiders_but_not_archivists(
    api_as, make_meeting, organiser, outsider, member, archivist, make_user
):
    meeting = conclude(make_meeting(title="人事任免会", confidentiality="confidential"))
    dossier, _ = services.file_meeting(meeting, actor=organiser)
    leader = make_user("boss", roles=("leader",))
    for user in (outsider, member, leader):
        api = api_as(user)
        missing = api.get(f"/api/v1/archive/dossiers/{dossier.pk}")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        assert api.get("/api/v1/archive/search", q="人事").json()["count"] == 0
        assert api.get("/api/v1/archive/dossiers").json()["count"] == 0
    doc = dossier.documents.first()
    assert api_as(outsider).get(f"/api/v1/archive/documents/{doc.pk}/download").status_code == 404
    assert api_as(archivist).get(f"/api/v1/archive/dossiers/{dossier.pk}").status_code == 200
    assert api_as(organiser).get(f"/api/v1/archive/documents/{doc.pk}/download").status_code == 200


@pytest.mark.django_db
def test_download_is_checked_against_the_checksum_and_logged(api_as, filed, member):
    doc = filed.documents.order_by("seq").first()
    response = api_as(member).get(f"/api/v1/archive/documents/{doc.pk}/download")
    assert response.status_code == 200
    data = response.content
    assert hashlib.sha256(data).hexdigest() == doc.current.sha256 == response["X-Content-SHA256"]
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    log = AccessLog.objects.get()
    assert log.user == member and log.action == "download" and log.source == "api"
    # the file on disk is altered: it is refused, not handed out
    with open(doc.current.file.path, "ab") as f:
        f.write(b"tampered")
    broken = api_as(member).get(f"/api/v1/archive/documents/{doc.pk}/download")
    assert broken.status_code == 409 and broken.json()["error"]["code"] == "checksum_mismatch"


@pytest.mark.django_db
def test_corrections_add_a_version_and_keep_history(api_as, filed, organiser, member):
    doc = filed.documents.order_by("seq").first()
    old = doc.current
    api = api_as(organiser)
    no_reason = _multipart(
        api,
        f"/api/v1/archive/documents/{doc.pk}/versions",
        {"reason": " ", "file": _file("fix.pdf", PDF)},
    )
    assert no_reason.status_code == 422 and no_reason.json()["error"]["code"] == "reason_required"
    made = _multipart(
        api,
        f"/api/v1/archive/documents/{doc.pk}/versions",
        {"reason": "更正页码", "file": _file("fix.pdf", PDF)},
    )
    assert made.status_code == 201, made.content
    assert made.json()["number"] == 2 and made.json()["file_name"].endswith("_v2.pdf")
    detail = api_as(member).get(f"/api/v1/archive/documents/{doc.pk}").json()
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    # A filed PDF is stored with its 归档章, and the checksum is the stored file's.
    stored = api_as(member).get(f"/api/v1/archive/documents/{doc.pk}/download")
    assert detail["current"]["sha256"] == hashlib.sha256(stored.content).hexdigest()
    assert DocumentVersion.objects.get(pk=old.pk).sha256 == old.sha256  # never overwritten
    first = api_as(member).get(f"/api/v1/archive/documents/{doc.pk}/download", version=1)
    assert hashlib.sha256(first.content).hexdigest() == old.sha256
    entry = AuditEntry.objects.get(action="records.document.corrected")
    assert entry.data["reason"] == "更正页码" and entry.data["previous_sha256"] == old.sha256
    refused = _multipart(
        api_as(member),
        f"/api/v1/archive/documents/{doc.pk}/versions",
        {"reason": "x", "file": _file("a.pdf", PDF)},
    )
    assert refused.status_code == 403


@pytest.mark.django_db
def test_search_by_text_and_filters_with_pinned_queries(
    api_as, client: Client, filed, member, make_meeting, organiser, django_assert_max_num_queries
):
    for i in range(3):
        other = conclude(make_meeting(title=f"安全工作会{i}"))
        services.file_meeting(other, actor=organiser)
    api = api_as(member)
    with django_assert_max_num_queries(8):
        everything = api.get("/api/v1/archive/search").json()
    assert everything["count"] == 5  # plan + sheet, and a sheet for each other meeting
    by_title = api.get("/api/v1/archive/search", q="季度工作").json()
    assert by_title["count"] == 2 and {i["meeting_title"] for i in by_title["items"]} == {
        "季度工作会议"
    }
    by_number = api.get("/api/v1/archive/search", q=filed.archive_number).json()
    assert by_number["count"] == 2
    by_category = api.get("/api/v1/archive/search", category="signin").json()
    assert by_category["count"] == 4
    assert api.get("/api/v1/archive/search", year=1999).json()["count"] == 0
    assert api.get("/api/v1/archive/search", confidentiality="public").json()["count"] == 0
    bad = api.get("/api/v1/archive/search", year="abc")
    assert bad.status_code == 422


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.mark.django_db
def test_due_list_and_department_filter(
    api_as, filed, archivist, admin_user, member, make_meeting, organiser
):
    from datetime import date, timedelta

    from meetops.people.services import create_department
    from meetops.records.models import Dossier

    office = create_department(name="办公室", actor=admin_user)
    unit = create_department(name="档案科", parent=office, actor=admin_user)
    services.file_meeting(
        conclude(make_meeting(title="档案科例会", department=unit)), actor=organiser
    )
    api = api_as(member)
    by_department = api.get("/api/v1/archive/search", department=office.pk).json()
    assert {i["meeting_title"] for i in by_department["items"]} == {
        "档案科例会"
    }  # sub-departments too
    assert api_as(archivist).get("/api/v1/archive/due").json() == []
    Dossier.objects.filter(pk=filed.pk).update(retain_until=date.today() - timedelta(days=1))
    due = api_as(archivist).get("/api/v1/archive/due").json()
    assert [d["archive_number"] for d in due] == [filed.archive_number]
    proposed = api_as(archivist).post(
        f"/api/v1/archive/dossiers/{filed.pk}/destruction", {"reason": "期满"}
    )
    assert proposed.status_code == 201
    url = f"/api/v1/archive/destructions/{proposed.json()['id']}/approve"
    alone = api_as(admin_user).post(url, {"note": "", "supervisors": [member.pk]})
    assert alone.status_code == 422
    assert alone.json()["error"]["code"] == "two_supervisors_required"
    own = api_as(admin_user).post(url, {"note": "", "supervisors": [member.pk, organiser.pk]})
    assert own.status_code == 200 and own.json()["status"] == "done"
    assert len(own.json()["supervisors"]) == 2
