"""The archive search in either script (會議 finds 会议 and the reverse), with a snippet."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetops.records import services
from meetops.records.models import Category
from meetops.records.tests.conftest import conclude, docx_bytes, upload


def _titles(client, q):
    from meetops.records.models import Document

    body = client.get("/archive/", {"q": q}).content.decode()
    found = Document.objects.filter(pk__in=_document_ids(body))
    return sorted({d.dossier.title for d in found.select_related("dossier")}), body


def _document_ids(body):
    import re

    return [int(x) for x in re.findall(r'data-document="(\d+)"', body)]


@pytest.fixture
def archive(make_meeting, organiser):
    simplified = conclude(make_meeting(title="年度档案工作会议"))
    traditional = conclude(make_meeting(title="網絡升級協調會議"))
    other = conclude(make_meeting(title="安全检查"))
    dossier, _docs = services.file_meeting(simplified, actor=organiser)
    for m in (traditional, other):
        services.file_meeting(m, actor=organiser)
    services.add_document(
        dossier,
        actor=organiser,
        category=Category.objects.get(code="survey"),
        title="附件",
        upload=upload("a.docx", docx_bytes("会后请核对<签到>名单，并报送纪要。")),
    )
    return simplified, traditional, other


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("會議", ["年度档案工作会议", "網絡升級協調會議"]),
        ("檔案", ["年度档案工作会议"]),
        ("网络升级", ["網絡升級協調會議"]),  # Simplified finds Traditional text
        ("網絡升級", ["網絡升級協調會議"]),
        ("核對", ["年度档案工作会议"]),  # in the extracted text of a document
        ("簽到", ["安全检查", "年度档案工作会议", "網絡升級協調會議"]),  # every sign-in sheet
        ("紀要", ["年度档案工作会议"]),
        ("协调 会议", ["網絡升級協調會議"]),  # every term, partial words
    ],
)
def test_archive_search_in_both_scripts(client, archive, member, query, expected):
    client.force_login(member)
    titles, _body = _titles(client, query)
    assert titles == expected


@pytest.mark.django_db
def test_archive_snippet_is_escaped_and_marked(client, archive, member):
    client.force_login(member)
    _titles_found, body = _titles(client, "簽到 名單")
    assert "请核对&lt;<mark>签到</mark>&gt;<mark>名单</mark>，并报送纪要。" in body  # as written
    assert "<签到>" not in body


@pytest.mark.django_db
def test_many_hits_find_the_same_documents_and_hide_the_same(
    client, archive, make_meeting, organiser, member, outsider, monkeypatch
):
    """Above FEW matches (text or archive number) each row is tested in date order: the same
    documents are found as below it, and a person still never sees a hidden one."""
    from meetops.core import textsearch

    secret = conclude(make_meeting(title="绝密网络会议", confidentiality="confidential"))
    secret_dossier, _docs = services.file_meeting(secret, actor=organiser)
    simplified = archive[0].dossier
    client.force_login(member)
    queries = ["會議", "网络", "簽到", "协调 会议", "不存在", simplified.archive_number, "-"]
    few = {q: _titles(client, q)[0] for q in queries}
    assert few[simplified.archive_number] == ["年度档案工作会议"]
    assert len(few["-"]) == 3  # a part of every archive number
    monkeypatch.setattr(textsearch, "FEW", 1)
    for q in queries:
        assert _titles(client, q)[0] == few[q], q
    client.force_login(outsider)
    assert "绝密网络会议" not in _titles(client, "网络")[0]
    assert "绝密网络会议" not in _titles(client, secret_dossier.archive_number)[0]
    client.force_login(organiser)
    assert "绝密网络会议" in _titles(client, "网络")[0]


def test_only_a_query_with_a_code_character_is_looked_for_in_archive_numbers():
    from meetops.records.selectors import looks_like_archive_number

    assert looks_like_archive_number("2026") and looks_like_archive_number("-")
    assert looks_like_archive_number("WS·2026") and looks_like_archive_number("档2026")
    assert not looks_like_archive_number("会议纪要")
    assert not looks_like_archive_number("會議　紀要")


@pytest.mark.django_db
def test_a_chinese_query_does_not_search_archive_numbers(
    client, archive, member, django_assert_num_queries
):
    """Chinese text alone cannot be the part of an archive number that tells dossiers apart, so
    the numbers of every dossier are not read for it: one query fewer than for a code."""
    client.force_login(member)
    number = archive[0].dossier.archive_number
    client.get("/archive/", {"q": number})
    with CaptureQueriesContext(connection) as coded:
        client.get("/archive/", {"q": number})
    assert any("archive_number" in q["sql"] for q in coded.captured_queries)
    with django_assert_num_queries(len(coded.captured_queries) - 1):
        client.get("/archive/", {"q": "档案"})
    assert _titles(client, number)[0] == _titles(client, "檔案")[0] == ["年度档案工作会议"]
