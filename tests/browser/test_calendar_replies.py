"""The calendar replies received by mail, at 375 px in both Chinese scripts: the log page and
the "maybe" on the meeting's Answers page."""

from __future__ import annotations

from typing import Any

import pytest
from tests.browser.walking import Walk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_replies_page_and_maybe_fit_a_phone(
    open_page: Any, sign_in: Any, make_user: Any, make_meeting: Any, language: str
) -> None:
    from meetops.invitations.models import CalendarReply, Invitation, ReplyOutcome
    from meetops.invitations.services import invitations as invites
    from meetops.meetings import services as meetings
    from meetops.people.models import User

    wangfang = make_user("wangfang", roles=("organiser",), display_name="王芳")
    User.objects.filter(pk=wangfang.pk).update(language=language)
    meeting = make_meeting(actor=wangfang, title="关于信息化建设推进工作的专题协调会")
    meetings.add_participant(
        meeting,
        actor=wangfang,
        name="欧阳晓明",
        email="ouyang.xiaoming.information-centre@very-long-department-name.example.org",
    )
    invites.send_invitations(meeting, actor=wangfang, to="all")
    invitation = Invitation.objects.get(meeting=meeting)
    address = invitation.participant.email
    CalendarReply.objects.bulk_create(
        [
            CalendarReply(
                key=key,
                message_id=f"<{key}-DM6PR11MB4570F1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6@"
                "DM6PR11MB4570.namprd11.prod.outlook.com>",
                digest=key * 64,
                source="smtp",
                sender=address,
                attendee=address,
                partstat=partstat,
                invitation=invitation,
                outcome=outcome,
                code=code,
                copies=copies,
            )
            for key, partstat, outcome, code, copies in [
                ("a", "DELEGATED", ReplyOutcome.REFUSED, "delegation_by_mail", 1),
                ("b", "TENTATIVE", ReplyOutcome.NOTED, "tentative", 3),
            ]
        ]
    )
    locale = {"zh-hans": "zh-CN", "zh-hant": "zh-TW"}[language]
    page = open_page(375, 812, locale=locale)
    sign_in(page, "wangfang")
    walk = Walk(page, language)
    walk.visit(f"/meetings/{meeting.pk}/rsvp/")
    assert page.locator(".badge.tentative").count() == 1
    page.locator("a[href*='/invitations/replies/']").click()
    page.wait_for_selector("#calendar-replies")
    walk.check("replies by mail")
    assert page.locator("#calendar-replies tbody tr").count() == 2
    walk.visit("/invitations/replies/?outcome=refused")
    assert page.locator("#calendar-replies tbody tr").count() == 1
