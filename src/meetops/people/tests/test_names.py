"""Names as Chinese users expect: pinyin order with surname readings, 姓氏笔画, pinyin search."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from meetops.people import services
from meetops.people.models import ExternalContact, User
from meetops.people.names import name_keys


def test_pinyin_reads_polyphonic_surnames_as_surnames():
    assert name_keys("曾国藩").pinyin == "zeng guo fan"  # pypinyin alone: ceng
    assert name_keys("单雄信").pinyin == "shan xiong xin"  # not dan
    assert name_keys("解缙").pinyin == "xie jin"
    assert name_keys("区志").initials == "oz"
    assert name_keys("仇英").pinyin.startswith("qiu ")
    assert name_keys("万俟卨").pinyin.startswith("mo qi ")  # a compound surname
    assert name_keys("歐陽修").pinyin == "ou yang xiu"  # Traditional script too
    assert name_keys("王芳").letters == "wangfang"


def test_pinyin_order_of_surnames():
    names = ["周平", "张伟", "吴敏", "刘洋", "何明", "曾敏", "单明"]
    ordered = sorted(names, key=lambda n: name_keys(n).pinyin)
    # he < liu < shan < wu < zeng < zhang < zhou (曾 as zeng, 单 as shan)
    assert ordered == ["何明", "刘洋", "单明", "吴敏", "曾敏", "张伟", "周平"]


def test_stroke_order_counts_then_first_strokes():
    names = ["司", "白", "史", "田", "叶"]
    # all five strokes; ties broken 横 丨 丿 丶 乛 stroke by stroke (not ICU's 史 叶 司 田 白)
    assert sorted(names, key=lambda n: name_keys(n).strokes) == ["叶", "田", "史", "白", "司"]
    assert name_keys("王芳").strokes < name_keys("何明").strokes  # 4 strokes before 7


def test_single_given_name_rule_is_a_setting(settings):
    # 姓氏笔画 (default): the missing second character counts as empty.
    assert name_keys("田富").strokes < name_keys("田大利").strokes
    settings.MEETOPS_STROKE_ORDER = "name"  # 姓名笔画: 大 (3) before 富 (12)
    assert name_keys("田大利").strokes < name_keys("田富").strokes


def test_keys_follow_every_name_change(make_user):
    user = make_user("wf", display_name="王芳")
    assert (user.name_pinyin, user.name_initials) == ("wang fang", "wf")
    user.display_name = "曾芳"
    user.save(update_fields=["display_name"])  # the keys are saved with the name
    user.refresh_from_db()
    assert (user.name_pinyin, user.name_initials) == ("zeng fang", "zf")
    contact = ExternalContact.objects.create(name="单田芳")
    assert ExternalContact.objects.get(pk=contact.pk).name_pinyin == "shan tian fang"


@pytest.mark.django_db
def test_an_account_made_without_a_service_has_keys_too():
    # createsuperuser goes through Django's UserManager, not people.services: the keys come
    # from save() (ADR 0018, why the keys are an exception to "nothing in save()").
    call_command("createsuperuser", "--noinput", username="曾国藩", email="z@example.cn")
    assert User.objects.get(username="曾国藩").name_pinyin == "zeng guo fan"


def test_directory_surname_settles_the_split(make_user):
    # sn=欧 with given name 阳明: not the compound surname 欧阳.
    user = make_user("oym", display_name="欧阳明")
    assert user.name_strokes == name_keys("欧阳明").strokes  # 欧阳, an empty place, 明
    user.last_name, user.first_name = "欧", "阳明"
    user.save(update_fields=["last_name", "first_name"])
    assert User.objects.get(pk=user.pk).name_pinyin == "ou yang ming"
    assert User.objects.get(pk=user.pk).name_strokes == name_keys("欧阳明", surname="欧").strokes
    assert name_keys("欧阳明", surname="欧").strokes != name_keys("欧阳明").strokes


def test_recompute_fixes_stale_keys(make_user, settings, capsys):
    user = make_user("tf", display_name="田富")
    User.objects.filter(pk=user.pk).update(name_pinyin="", name_strokes="")  # behind save()
    settings.MEETOPS_STROKE_ORDER = "name"
    counts = services.recompute_name_keys()
    user.refresh_from_db()
    assert user.name_pinyin == "tian fu"
    assert user.name_strokes == name_keys("田富").strokes
    assert counts["people.User"] >= 1
    call_command("names", "recompute")
    assert "people.User\t0 changed" in capsys.readouterr().out


@pytest.fixture
def directory(make_user):
    make_user("wangfang", display_name="王芳")
    make_user("wangfei", display_name="王飞")
    make_user("zhangwei", display_name="张伟")
    make_user("zengwei", display_name="曾伟")
    make_user("fangwang", display_name="方旺")


def _people(api, q, **extra):
    response = api.get("/api/v1/people", q=q, **extra)
    assert response.status_code == 200, response.content
    return [p["display_name"] for p in response.json()["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("wangfang", ["王芳"]),
        ("wf", ["王芳", "王飞"]),
        ("wang f", ["王芳", "王飞"]),
        ("zw", ["曾伟", "张伟"]),  # zeng before zhang
        ("zengw", ["曾伟"]),
        ("fang", ["方旺", "王芳"]),  # a given name alone
        ("王", ["王芳", "王飞"]),
    ],
)
def test_people_picker_finds_by_pinyin(directory, api_as, organiser, query, expected):
    assert _people(api_as(organiser), query) == expected


def test_people_picker_orders_by_strokes_on_request(directory, api_as, organiser):
    # 王 and 方 have 4 strokes, 王 starts with 横 and 方 with 丶; 张 has 7, 曾 12. Under 姓氏笔画
    # 王飞 and 王芳 compare their given names: 飞 (3) before 芳 (7). Latin names come last.
    assert _people(api_as(organiser), "", ordering="strokes") == [
        "王飞",
        "王芳",
        "方旺",
        "张伟",
        "曾伟",
        "organiser",
    ]
    assert _people(api_as(organiser), "", ordering="pinyin")[:2] == ["方旺", "organiser"]


def test_people_picker_query_count_is_pinned(
    directory, api_as, organiser, django_assert_num_queries
):
    api = api_as(organiser)
    api.get("/api/v1/people", q="wf")
    with django_assert_num_queries(3):  # token and its user, count, page
        assert api.get("/api/v1/people", q="wf").status_code == 200


@pytest.mark.parametrize("name", ["", "   ", "·", "-"])
def test_a_name_with_nothing_to_read_still_has_keys(name: str) -> None:
    # The API accepts such names (e.g. a guest's empty display name); saving must not fail.
    keys = name_keys(name)
    assert len(keys.initials) <= 1
