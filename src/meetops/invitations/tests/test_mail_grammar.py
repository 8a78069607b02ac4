"""Every shipped mail reads as a person would write it, in zh-Hans, zh-Hant and English,
whatever the meeting leaves empty (no place, no deadline, no description, no agenda)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from meetops.agenda import services as agenda
from meetops.invitations.services import invitations as invites
from meetops.meetings import services as meetings
from meetops.notifications.rendering import render

pytestmark = pytest.mark.django_db

# A space next to a Chinese character (or full-width punctuation) and an inserted value.
SPACED = re.compile(
    r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef] | [\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
)


def invite(make_user, make_meeting, organiser, language: str, *, filled: bool) -> Any:
    fields = {"location": "信息中心二楼报告厅", "description": "审议明年预算。"} if filled else {}
    meeting = make_meeting(title="预算评审会", **fields)
    if filled:
        agenda.add_item(meeting, actor=organiser, title="预算说明", duration_minutes=30)
        invites.set_deadline(meeting, actor=organiser, deadline=meeting.start - timedelta(days=1))
    person = make_user("zhang", email="zhang@example.org", display_name="张三")
    person.language = language
    person.save(update_fields=["language"])
    meetings.add_participant(meeting, actor=organiser, user=person)
    invites.send_invitations(meeting, actor=organiser, to="all")
    return meeting


def chinese_lines(text: str) -> list[str]:
    # Links, agenda rows ("1. 09:00–09:30 议程") and dates with a time ("10月28日 09:00")
    # keep their ASCII spacing.
    return [
        line
        for line in text.splitlines()
        if "http" not in line
        and not re.match(r"\d+\. ", line)
        and not re.search(r"\d \d|日 \d", line)
    ]


@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_invitation_mail_is_grammatical(
    language, filled, make_user, make_meeting, organiser, outbox_mails
):
    invite(make_user, make_meeting, organiser, language, filled=filled)
    (row,) = outbox_mails()
    text = row.body
    assert "\n\n\n" not in text and "{{" not in text
    expected = {
        ("zh-hans", False): [
            "召开“预算评审会”，地点另行通知，请您参加。",
            "请尽快通过以下链接确认是否参会：",
            "议程：\n另行通知",
        ],
        ("zh-hans", True): [
            "在信息中心二楼报告厅召开“预算评审会”，请您参加。",
            "审议明年预算。",
            "1. ",
            "预算说明",
            "前通过以下链接确认是否参会：",
        ],
        ("zh-hant", False): [
            "召開「预算评审会」，地點另行通知，請您參加。",
            "請盡快通過以下連結確認是否參會：",
        ],
        ("zh-hant", True): [
            "在信息中心二楼报告厅召開「预算评审会」，請您參加。",
            "前通過以下連結確認是否參會：",
        ],
        ("en", False): [
            "You are invited to “预算评审会” on ",
            "; the place will be announced.",
            "Please answer as soon as possible with your personal link:",
        ],
        ("en", True): [
            " at 信息中心二楼报告厅.",
            "Please answer by ",
        ],
    }[(language, filled)]
    for phrase in expected:
        assert phrase in text, (phrase, text)
    if language != "en":
        assert "尽快 " not in text and "盡快 " not in text and " 前" not in text
        assert not [line for line in chinese_lines(text) if SPACED.search(line)], text
    # The HTML says the same.
    assert expected[0].replace("“", "&ldquo;") in row.html or expected[0] in row.html


def test_a_saved_copy_of_the_old_template_reads_well_without_a_deadline(
    make_user, make_meeting, organiser, outbox_mails
):
    from meetops.invitations.services.templates import save_template

    save_template(
        actor=organiser,
        kind=None,
        language="zh-hans",
        subject="会议通知：{{ meeting.title }}",
        body="请于 {{ rsvp.deadline }} 前通过以下链接确认是否参会：\n{{ link }}",
    )
    invite(make_user, make_meeting, organiser, "zh-hans", filled=False)
    (row,) = outbox_mails()
    assert row.body.startswith("请尽快通过以下链接确认是否参会：")
    assert "请尽快通过以下链接确认是否参会：" in row.html


@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
@pytest.mark.parametrize(
    "event",
    [
        "meeting.invited",
        "meeting.changed",
        "meeting.cancelled",
        "meeting.reminder",
        "rsvp.deadline",
    ],
)
def test_notification_messages_are_grammatical(event, language, filled, make_meeting):
    fields = (
        {"location": "信息中心二楼报告厅", "online_url": "https://meet.example.org/1"}
        if filled
        else {}
    )
    meeting = make_meeting(title="预算评审会", **fields)
    context = {"meeting": meeting, "url": f"/meetings/{meeting.pk}/" if filled else ""}
    if event == "rsvp.deadline":
        context |= {"deadline": meeting.start if filled else None, "rsvp_url": ""}
    message = render(event, context, language=language, time_zone="Asia/Shanghai")
    text = message.text
    assert "\n\n\n" not in text and "CST" not in text
    if language == "en":
        assert "Meeting: 预算评审会" in text and "(Beijing time)" in text
        return
    zone = "（北京时间）" if language == "zh-hans" else "（北京時間）"
    assert zone in text
    assert ("会议：预算评审会" if language == "zh-hans" else "會議：预算评审会") in text
    assert ": " not in text.replace("https://", "")
    assert not [line for line in chinese_lines(text) if SPACED.search(line)], text
    if filled:
        assert (
            "地点：信息中心二楼报告厅" if language == "zh-hans" else "地點：信息中心二楼报告厅"
        ) in text


def test_html_part_names_beijing_time(make_meeting):
    meeting = make_meeting(title="预算评审会")
    with translation.override("zh-hans"):
        html = render_to_string(
            "notifications/messages/_meeting.html", {"meeting": meeting, "url": ""}
        )
    assert "（北京时间）" in html and "CST" not in html
