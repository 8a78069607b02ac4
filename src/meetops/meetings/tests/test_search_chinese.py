"""The meeting list searched in either script, with where it matched."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from meetops.core import textsearch
from meetops.meetings import services


@pytest.fixture
def meetings(make_meeting, organiser):
    a = make_meeting(title="年度档案工作会议", description="审议<网络升级>方案与签到流程")
    b = make_meeting(title="會議紀要審閱", location="三樓會議室")
    c = make_meeting(title="安全检查", goals="检查网络设备")
    return a, b, c


def _listed(client, q):
    body = client.get("/meetings/", {"q": q}).content.decode()
    return [t for t in ("年度档案工作会议", "會議紀要審閱", "安全检查") if t in body], body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("會議", ["年度档案工作会议", "會議紀要審閱"]),
        ("会议纪要", ["會議紀要審閱"]),  # Simplified finds Traditional
        ("紀要", ["會議紀要審閱"]),
        ("簽到", ["年度档案工作会议"]),
        ("檔案", ["年度档案工作会议"]),
        ("網絡升級", ["年度档案工作会议"]),
        ("网络", ["年度档案工作会议", "安全检查"]),  # goals count too
        ("三楼", ["會議紀要審閱"]),  # the place
        ("审 流程", ["年度档案工作会议"]),
    ],
)
def test_meeting_list_finds_both_scripts(client, meetings, organiser, query, expected):
    client.force_login(organiser)
    assert _listed(client, query)[0] == expected


@pytest.mark.django_db
def test_meeting_list_snippet_marks_and_escapes(client, meetings, organiser):
    client.force_login(organiser)
    _found, body = _listed(client, "網絡升級")
    assert "审议&lt;<mark>网络升级</mark>&gt;方案" in body
    assert "<网络升级>" not in body


@pytest.mark.django_db
def test_the_index_follows_edits(client, meetings, organiser):
    a, _b, _c = meetings
    services.update_meeting(a, actor=organiser, title="年度總結會")
    client.force_login(organiser)
    assert "年度總結會" in _listed(client, "总结")[1]
    assert _listed(client, "档案")[0] == []


@pytest.mark.django_db
def test_meeting_search_pins_its_queries(
    client, make_meeting, organiser, django_assert_num_queries
):
    for i in range(3):
        make_meeting(title=f"網絡會議{i}")
    client.force_login(organiser)
    client.get("/meetings/", {"q": "网络"})
    # The index probe (at most FEW + 1 ids), the count (up to COUNT_UP_TO + 1), the page, the rest.
    with django_assert_num_queries(7) as few:
        client.get("/meetings/", {"q": "网络"})
    for i in range(3, 12):
        make_meeting(title=f"網絡會議{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get("/meetings/", {"q": "网络"}).content.decode()
    assert body.count("<mark>") == 12


@pytest.mark.django_db
def test_api_q_uses_the_same_search(api_as, meetings, organiser):
    found = api_as(organiser).get("/api/v1/meetings", q="會議").json()
    assert sorted(m["title"] for m in found["items"]) == ["年度档案工作会议", "會議紀要審閱"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "count", "page"),
    [
        # COUNT_UP_TO is 2 here, but the first page counts at least as far as itself (20).
        ("en", "More than 20 meetings", "Page 1<"),
        ("zh-hans", "超过 20 个会议", "第 1 页<"),
        ("zh-hant", "超過 20 個會議", "第 1 頁<"),
    ],
)
def test_many_hits_are_counted_up_to_a_cap(
    client, make_meeting, organiser, outsider, monkeypatch, language, count, page
):
    """Above FEW matches the page reads in date order and says "more than FEW"; a person still
    never sees a meeting they may not see, and every page stays reachable."""
    soon = timezone.now() + timedelta(days=1)
    for i in range(21):
        make_meeting(title=f"网络会议{i:02}", start=soon + timedelta(days=i))
    make_meeting(
        title="网络绝密会议", confidentiality="confidential", start=soon + timedelta(days=30)
    )
    monkeypatch.setattr(textsearch, "FEW", 2)
    monkeypatch.setattr(textsearch, "COUNT_UP_TO", 2)
    client.force_login(outsider)
    body = client.get("/meetings/", {"q": "網絡"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert count in body and page in body and "绝密" not in body
    assert body.count("<mark>") == 20 and "网络会议20" in body and "网络会议00" not in body
    second = client.get("/meetings/", {"q": "網絡", "page": 2}, HTTP_ACCEPT_LANGUAGE=language)
    text = second.content.decode()
    assert "网络会议00" in text and "绝密" not in text and text.count("<mark>") == 1
    client.force_login(organiser)
    body = client.get("/meetings/", {"q": "網絡"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "网络绝密会议" in body


@pytest.mark.django_db
def test_a_page_walked_in_date_order_lists_what_a_sorted_page_lists(
    client, make_meeting, organiser, monkeypatch
):
    """Above SORTED_UP_TO ids the page reads the meetings in date order and tests each against
    the ids instead of sorting them all: the same meetings, in the same order, on every page."""
    soon = timezone.now() + timedelta(days=1)
    for i in range(23):
        make_meeting(title=f"网络会议{i:02}", start=soon + timedelta(days=(i * 7) % 23))
    client.force_login(organiser)

    def pages():
        return [client.get("/meetings/", {"q": "網絡", "page": n}).content.decode() for n in (1, 2)]

    sorted_pages = pages()
    monkeypatch.setattr(textsearch, "SORTED_UP_TO", 2)
    walked = pages()
    for before, after in zip(sorted_pages, walked, strict=True):
        titles = re.findall(r"网络会议\d\d", after)
        assert titles and titles == re.findall(r"网络会议\d\d", before)
    assert len(re.findall(r"网络会议\d\d", walked[0] + walked[1])) == 23
