"""Attendance types and process steps both say "Required", but not the same thing in Chinese."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetops.meetings import services
from meetops.meetings.models import Attendance

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "required", "optional", "step_badge"),
    [("zh-hans", "必须参会", "可选参会", "必做"), ("zh-hant", "必須參會", "可選參會", "必做")],
)
def test_participants_page_names_attendance_not_step_duty(
    client, make_meeting, organiser, make_user, language, required, optional, step_badge
):
    meeting = make_meeting(actor=organiser, title="周例会")
    services.add_participant(
        meeting, actor=organiser, user=make_user("lisi"), attendance=Attendance.REQUIRED
    )
    services.add_participant(
        meeting, actor=organiser, user=make_user("zhaowu"), attendance=Attendance.OPTIONAL
    )
    organiser.language = language
    organiser.save(update_fields=["language"])
    client.force_login(organiser)

    people = client.get(reverse("invitations:participants", args=[meeting.pk])).content.decode()
    assert required in people and optional in people
    assert "选做" not in people and "選做" not in people

    detail = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert step_badge in detail
