"""The pages: publishing and reach (managers), the poster, the notice board, the public page;
phone-first markup and the three languages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from meetops.promotion.models import Announcement, Recipient


def test_organiser_publishes_from_the_meeting_page_and_sees_the_reach(
    client: Any, meeting: Any, organiser: Any, departments: dict[str, Any], people: Any
) -> None:
    client.force_login(organiser)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f'href="/meetings/{meeting.pk}/announcements/"' in page

    response = client.post(
        f"/meetings/{meeting.pk}/announcements/",
        {
            "title": "教学工作会议通知",
            "text": "请准时参加。",
            "departments": [departments["academic"].pk],
            "channels": ["inapp", "email"],
        },
    )
    made = Announcement.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}/announcements/{made.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-figure="recipients">2<' in page
    assert 'class="table stack" id="channels"' in page
    assert f'href="/meetings/{meeting.pk}/announcements/{made.pk}/poster/"' in page


def test_a_refused_publication_keeps_the_input_and_says_why(
    client: Any, meeting: Any, organiser: Any, departments: dict[str, Any]
) -> None:
    client.force_login(organiser)
    response = client.post(
        f"/meetings/{meeting.pk}/announcements/",
        {"title": "通知", "text": "内容", "departments": [departments["exams"].pk]},
        headers={"Accept-Language": "zh-hans"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "请至少选择一个渠道" in page and 'value="通知"' in page
    assert not Announcement.objects.exists()


def test_people_who_do_not_manage_the_meeting_see_no_link_and_get_refused(
    client: Any, meeting: Any, member: Any, outsider: Any, make_meeting: Callable[..., Any]
) -> None:
    client.force_login(member)
    assert "/announcements/" not in client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert client.get(f"/meetings/{meeting.pk}/announcements/").status_code == 403
    secret = make_meeting(title="人事会议", confidentiality="confidential")
    client.force_login(outsider)
    assert client.get(f"/meetings/{secret.pk}/announcements/").status_code == 404


def test_the_poster_prints_a_qr_code_to_the_public_page(
    client: Any, announce: Callable[..., Any], public_meeting: Any, organiser: Any
) -> None:
    announcement = announce(public_meeting, public_page=True, channels=[])
    client.force_login(organiser)
    page = client.get(
        f"/meetings/{public_meeting.pk}/announcements/{announcement.pk}/poster/"
    ).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert f"/events/{public_meeting.pk}/" in page
    assert "promotion/poster.css" in page and "data-print" in page


def test_the_poster_of_an_internal_meeting_leads_to_the_announcement(
    client: Any, announce: Callable[..., Any], meeting: Any, organiser: Any, departments: Any
) -> None:
    announcement = announce(meeting, departments=[departments["exams"]])
    client.force_login(organiser)
    page = client.get(f"/meetings/{meeting.pk}/announcements/{announcement.pk}/poster/")
    assert f"/notices/{announcement.pk}/" in page.content.decode()


def test_the_notice_board_lists_what_was_announced_to_the_reader(
    client: Any,
    announce: Callable[..., Any],
    meeting: Any,
    public_meeting: Any,
    make_meeting: Callable[..., Any],
    departments: dict[str, Any],
    people: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    mine = announce(meeting, departments=[departments["academic"]], title="教务处通知")
    everyone = announce(public_meeting, public_page=True, channels=[], title="开放日欢迎您")
    over = make_meeting(title="上周的会", start=timezone.now() + timedelta(hours=1))
    past = announce(over, departments=[departments["academic"]], title="已开过的会")
    Announcement.objects.filter(pk=past.pk).update(published_at=timezone.now())
    over.__class__.objects.filter(pk=over.pk).update(
        start=timezone.now() - timedelta(days=2), end=timezone.now() - timedelta(days=2, hours=-1)
    )

    client.force_login(people["li"])  # 考务科, below 教务处
    menu = client.get("/").content.decode()
    assert 'href="/notices/"' in menu
    with django_assert_max_num_queries(12):
        page = client.get("/notices/").content.decode()
    assert "教务处通知" in page and "开放日欢迎您" in page and "已开过的会" not in page

    client.force_login(people["wang"])  # 财务处: only the public one
    page = client.get("/notices/").content.decode()
    assert "开放日欢迎您" in page and "教务处通知" not in page
    assert client.get(f"/notices/{mine.pk}/").status_code == 404
    assert client.get(f"/notices/{everyone.pk}/").status_code == 200


def test_the_tracked_link_counts_and_leads_to_the_notice(
    client: Any, announce: Callable[..., Any], meeting: Any, departments: Any, people: Any
) -> None:
    announcement = announce(meeting, departments=[departments["exams"]])
    token = Recipient.objects.get(announcement=announcement).token
    response = client.get(f"/notices/{announcement.pk}/go/{token}")
    assert response.status_code == 302 and response["Location"] == f"/notices/{announcement.pk}/"
    assert Recipient.objects.get(announcement=announcement).opened_at is not None
    assert client.get(f"/notices/{announcement.pk}/go/not-a-token").status_code == 404

    client.force_login(people["li"])
    page = client.get(response["Location"]).content.decode()
    assert "欢迎参加教学工作会议" in page


def test_the_public_page_shows_the_public_announcement(
    client: Any, announce: Callable[..., Any], public_meeting: Any
) -> None:
    announce(
        public_meeting, public_page=True, channels=[], title="开放日欢迎您", text="欢迎家长参观。"
    )
    page = client.get(f"/events/{public_meeting.pk}/").content.decode()
    assert "开放日欢迎您" in page and "欢迎家长参观" in page


def test_pages_speak_both_chinese_scripts(
    client: Any, announce: Callable[..., Any], meeting: Any, organiser: Any, departments: Any
) -> None:
    announcement = announce(meeting, departments=[departments["exams"]])
    client.force_login(organiser)
    url = f"/meetings/{meeting.pk}/announcements/{announcement.pk}/"
    hans = client.get(url, headers={"Accept-Language": "zh-hans"}).content.decode()
    hant = client.get(url, headers={"Accept-Language": "zh-hant"}).content.decode()
    assert "覆盖人数" in hans and "打印海报" in hans
    assert "覆蓋人數" in hant and "列印海報" in hant
    board = client.get("/notices/", headers={"Accept-Language": "zh-hant"}).content.decode()
    assert "公告欄" in board
