"""The sign-in desk finds people by pinyin and lists them in pinyin order."""

from __future__ import annotations

import re

import pytest

from meetops.meetings import services


@pytest.fixture
def desk(make_meeting, organiser):
    meeting = make_meeting()
    for i, name in enumerate(["王芳", "张伟", "曾伟", "王飞", "李娜"]):
        services.add_participant(meeting, actor=organiser, name=name, email=f"p{i}@example.org")
    return meeting


def _names(client, meeting, q):
    body = client.get(f"/meetings/{meeting.pk}/signin/search/", {"q": q}).content.decode()
    return re.findall(r"王芳|张伟|曾伟|王飞|李娜", body)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("wangfang", ["王芳"]),
        ("wf", ["王芳", "王飞"]),
        ("wang f", ["王芳", "王飞"]),
        ("zw", ["曾伟", "张伟"]),  # zeng before zhang
        ("w", ["王芳", "王飞"]),  # fang before fei
    ],
)
def test_desk_search_by_pinyin(client, desk, organiser, query, expected):
    client.force_login(organiser)
    assert list(dict.fromkeys(_names(client, desk, query))) == expected


@pytest.mark.django_db
def test_participants_api_orders_by_strokes(api_as, desk, organiser):
    api = api_as(organiser)
    rows = api.get(f"/api/v1/meetings/{desk.pk}/participants", ordering="strokes").json()["items"]
    names = [r["name"] for r in rows if r["name"] in {"王芳", "张伟", "曾伟", "王飞", "李娜"}]
    # 王 4, 李 张 7 (李 横 first), 曾 12; 王飞 before 王芳 (飞 3 strokes, 芳 7)
    assert names == ["王飞", "王芳", "李娜", "张伟", "曾伟"]
    by_pinyin = api.get(f"/api/v1/meetings/{desk.pk}/participants", ordering="pinyin").json()
    assert [r["name"] for r in by_pinyin["items"] if r["name"] != "organiser"] == [
        "李娜",
        "王芳",
        "王飞",
        "曾伟",
        "张伟",
    ]
    assert api.get(f"/api/v1/meetings/{desk.pk}/participants", ordering="x").status_code == 422
