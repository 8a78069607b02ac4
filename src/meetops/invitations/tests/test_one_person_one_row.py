"""One person, one row: a person on a meeting in two roles (主持人 and 参会人员) is one participant
with both roles, on the sign-in sheet once, and gets one CANCEL mail."""

from __future__ import annotations

from typing import Any

import pytest

from meetops.core.errors import DomainError
from meetops.invitations.services import invitations as invites
from meetops.invitations.tests.test_one_mail_per_change import calendar_of, delivered
from meetops.meetings import services as meetings
from meetops.meetings.models import Participant
from meetops.meetings.permissions import meeting_roles_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def hosted(guests: Any, organiser: Any, make_user: Any) -> tuple[Any, Any]:
    meeting = guests(1, title="年度工作会议")
    meeting.stage = "preparing"
    meeting.save(update_fields=["stage"])
    wang = make_user("wangfang", email="wangfang@example.org", display_name="王芳")
    meetings.add_participant(meeting, actor=organiser, user=wang, role="host")
    meetings.add_participant(meeting, actor=organiser, user=wang, role="participant")
    return meeting, wang


def test_a_second_role_joins_the_persons_row(hosted, organiser, api_as):
    meeting, wang = hosted
    row = Participant.objects.get(meeting=meeting, user=wang)  # one row, not two
    assert row.role == "host" and row.roles == ["host", "participant"]
    assert meeting_roles_of(wang, meeting) == {"host", "participant"}
    with pytest.raises(DomainError) as exc:
        meetings.add_participant(meeting, actor=organiser, user=wang, role="participant")
    assert exc.value.code == "participant_exists"
    listed = api_as(organiser).get(f"/api/v1/meetings/{meeting.pk}/participants").json()
    items = listed["items"] if isinstance(listed, dict) else listed
    mine = [p for p in items if p["user_id"] == wang.pk]
    assert len(mine) == 1
    assert (mine[0]["role"], mine[0]["roles"]) == ("host", ["host", "participant"])


def test_the_sign_in_sheet_lists_the_person_once(client, hosted, organiser):
    meeting, wang = hosted
    client.force_login(organiser)
    page = client.get(f"/meetings/{meeting.pk}/signin/sheet/").content.decode()
    assert page.count(str(wang)) == 1


def test_a_cancelled_meeting_sends_the_person_one_cancel(smtp, hosted, organiser):
    meeting, _wang = hosted
    invites.send_invitations(meeting, actor=organiser, to="all")
    first = delivered(smtp, 0)
    assert len(first["wangfang@example.org"]) == 1
    meetings.transition_meeting(meeting, actor=organiser, to="cancelled")
    cancelled = delivered(smtp, len(smtp.messages))
    assert len(cancelled["wangfang@example.org"]) == 1
    method, _event = calendar_of(cancelled["wangfang@example.org"][0])
    assert method == "CANCEL"
