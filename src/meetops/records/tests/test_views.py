"""Archive pages: personas, the search page's pinned queries, corrections and downloads, the
review, destruction and scheme pages, the menu link."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetops.records import services
from meetops.records.jobs import run_queued_filings
from meetops.records.models import AccessLog, Dossier
from meetops.records.tests.conftest import PDF, conclude


@pytest.fixture
def filed(concluded, organiser):
    dossier, _added = services.file_meeting(concluded, actor=organiser)
    return dossier


@pytest.mark.django_db
def test_menu_shows_the_archive_to_archivists_and_admins_only(
    client, archivist, admin_user, organiser, member
):
    for user, shown in ((archivist, True), (admin_user, True), (organiser, False), (member, False)):
        client.force_login(user)
        body = client.get("/").content.decode()
        assert ('href="/archive/"' in body) is shown, user


@pytest.mark.django_db
def test_filing_from_the_meeting_page(client, concluded, organiser, member):
    client.force_login(member)
    page = client.get(f"/archive/meetings/{concluded.pk}/").content.decode()
    assert "<form" not in page.split("<main")[1].split("</main>")[0]
    assert client.post(f"/archive/meetings/{concluded.pk}/").status_code == 403
    client.force_login(organiser)
    assert (
        f'href="/archive/meetings/{concluded.pk}/"'
        in client.get(f"/meetings/{concluded.pk}/").content.decode()
    )
    response = client.post(f"/archive/meetings/{concluded.pk}/")
    # The request is recorded at once; the worker files (see test_filing_background.py).
    assert response.status_code == 302 and not Dossier.objects.exists()
    run_queued_filings()
    dossier = Dossier.objects.get()
    response = client.get(f"/archive/meetings/{concluded.pk}/")
    assert response["Location"] == f"/archive/dossiers/{dossier.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert dossier.archive_number in page and 'id="completeness"' in page
    assert (
        "会议记录/纪要" in page
    )  # the missing required category is named (users read Chinese by default)


@pytest.mark.django_db
def test_confidential_dossier_pages_are_404_for_outsiders(
    client, make_meeting, organiser, outsider, archivist
):
    meeting = conclude(make_meeting(title="绝密会议", confidentiality="confidential"))
    dossier, docs = services.file_meeting(meeting, actor=organiser)
    client.force_login(outsider)
    assert client.get(f"/archive/dossiers/{dossier.pk}/").status_code == 404
    assert client.get(f"/archive/documents/{docs[0].pk}/").status_code == 404
    assert client.get(f"/archive/documents/{docs[0].pk}/download").status_code == 404
    assert client.get(f"/archive/meetings/{meeting.pk}/").status_code == 404
    assert "绝密会议" not in client.get("/archive/", {"q": "绝密"}).content.decode()
    client.force_login(archivist)
    assert "绝密会议" in client.get("/archive/", {"q": "绝密"}).content.decode()


@pytest.mark.django_db
def test_search_page_pins_its_queries(
    client, member, organiser, make_meeting, django_assert_max_num_queries
):
    for i in range(4):
        services.file_meeting(conclude(make_meeting(title=f"档案检索会{i}")), actor=organiser)
    client.force_login(member)
    with django_assert_max_num_queries(12):
        body = client.get("/archive/", {"q": "档案检索"}).content.decode()
    assert body.count("data-document=") == 4
    for i in range(4, 30):
        services.file_meeting(conclude(make_meeting(title=f"档案检索会{i}")), actor=organiser)
    with django_assert_max_num_queries(12):
        body = client.get("/archive/", {"q": "档案检索"}).content.decode()
    assert body.count("data-document=") == 20 and 'rel="next"' in body
    fragment = client.get(
        "/archive/", {"q": "档案检索", "page": 2}, headers={"HX-Request": "true"}
    ).content.decode()
    assert fragment.count("data-document=") == 10 and "<html" not in fragment


@pytest.mark.django_db
def test_correction_page_and_download_logged(client, filed, organiser, member, archivist):
    doc = filed.documents.first()
    client.force_login(member)
    assert (
        'enctype="multipart/form-data"'
        not in client.get(f"/archive/documents/{doc.pk}/").content.decode()
    )
    assert client.get(f"/archive/documents/{doc.pk}/download?view=1").status_code == 200
    client.force_login(organiser)
    response = client.post(
        f"/archive/documents/{doc.pk}/",
        {"reason": "补充签字页", "file": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert response.status_code == 302
    page = client.get(f"/archive/documents/{doc.pk}/").content.decode()
    assert "补充签字页" in page and page.count("?version=") == 2
    client.force_login(archivist)
    log = client.get("/archive/access-log/").content.decode()
    assert doc.versions.get(number=1).file_name in log
    assert AccessLog.objects.get().action == "view"
    client.force_login(member)
    assert client.get("/archive/access-log/").status_code == 403


@pytest.mark.django_db
def test_review_destruction_and_register(client, filed, archivist, leader, organiser, member):
    client.force_login(archivist)
    page = client.get("/archive/review/", {"year": filed.year}).content.decode()
    assert 'data-complete="no"' in page
    asked = client.post("/archive/review/", {"year": filed.year, "note": "已检查"})
    assert 'id="review-confirm"' in asked.content.decode()  # nothing filed before confirming
    confirm = {"year": filed.year, "note": "已检查", "confirm": "1", "expected": "0"}
    assert client.post("/archive/review/", confirm).status_code == 302
    assert "已检查" in client.get("/archive/review/", {"year": filed.year}).content.decode()
    Dossier.objects.filter(pk=filed.pk).update(retain_until=date.today() - timedelta(days=1))
    assert filed.archive_number in client.get("/archive/destruction/").content.decode()
    client.post(f"/archive/dossiers/{filed.pk}/propose/", {"reason": "保管期满"})
    proposal = filed.destructions.get()
    page = client.get("/archive/destruction/").content.decode()
    assert f"/archive/destruction/{proposal.pk}/approve/" not in page  # never one's own proposal
    client.force_login(leader)
    assert (
        f"/archive/destruction/{proposal.pk}/approve/"
        in client.get("/archive/destruction/").content.decode()
    )
    client.post(f"/archive/destruction/{proposal.pk}/approve/", {"note": "同意"})
    proposal.refresh_from_db()
    assert proposal.status == "proposed"  # no 监销人 named: nothing destroyed
    client.post(
        f"/archive/destruction/{proposal.pk}/approve/",
        {"note": "同意", "supervisors": [organiser.pk, member.pk]},
    )
    proposal.refresh_from_db()
    assert proposal.status == "done"
    client.force_login(archivist)
    xlsx = client.get("/archive/destruction/register.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert xlsx["X-Content-SHA256"] == hashlib.sha256(xlsx.content).hexdigest()
    pdf = client.get("/archive/destruction/register.pdf")
    assert pdf.content.startswith(b"%PDF-")
    assert client.get("/archive/destruction/register.exe").status_code == 404


@pytest.mark.django_db
def test_scheme_page_edits_categories_and_rules(client, archivist, organiser):
    client.force_login(organiser)
    assert client.get("/archive/scheme/").status_code == 403
    client.force_login(archivist)
    assert "会议记录/纪要" in client.get("/archive/scheme/").content.decode()
    client.post(
        "/archive/scheme/",
        {"code": "photo", "name_zh_hans": "照片", "retention": 1, "order": 95, "active": "on"},
    )
    from meetops.records.models import Category, Scheme

    assert Category.objects.filter(code="photo").exists()
    client.post(
        "/archive/scheme/",
        {"file_name_pattern": "{number}_{seq:03d}.{ext}", "number_pattern": "{year}-{seq:05d}"},
    )
    assert Scheme.objects.get().number_pattern == "{year}-{seq:05d}"


@pytest.mark.django_db
def test_waiting_for_me_lists_destructions_for_other_leaders(client, filed, make_user, leader):
    proposer = make_user("boss", roles=("leader", "archivist"))
    Dossier.objects.filter(pk=filed.pk).update(retain_until=date.today() - timedelta(days=1))
    filed.refresh_from_db()
    services.propose_destruction(filed, actor=proposer, reason="期满")
    client.force_login(proposer)
    assert 'data-kind="destruction"' not in client.get("/approvals/").content.decode()
    client.force_login(leader)
    page = client.get("/approvals/").content.decode()
    assert 'data-kind="destruction"' in page and "/archive/destruction/" in page


@pytest.mark.django_db
def test_dossier_page_views_are_in_the_access_log(client, filed, member, outsider, archivist):
    """The docs promise every view is logged: the dossier page (web and API), not only files."""
    from meetops.meetings.models import Meeting

    client.force_login(member)
    assert client.get(f"/archive/dossiers/{filed.pk}/").status_code == 200
    assert client.get(f"/api/v1/archive/dossiers/{filed.pk}").status_code == 200
    Meeting.objects.filter(pk=filed.meeting_id).update(confidentiality="confidential")
    client.force_login(outsider)
    assert client.get(f"/archive/dossiers/{filed.pk}/").status_code == 404
    views = AccessLog.objects.filter(dossier=filed, version=None).order_by("id")
    assert [(v.user, v.action, v.source) for v in views] == [
        (member, "view", "ui"),
        (member, "view", "api"),
    ]
    client.force_login(archivist)
    rows = client.get("/archive/access-log/").content.decode().split("<tr>")[2:]
    assert len(rows) == 2
    assert all(str(member) in r and filed.archive_number in r for r in rows)
    assert f'href="/archive/dossiers/{filed.pk}/"' in rows[0]
