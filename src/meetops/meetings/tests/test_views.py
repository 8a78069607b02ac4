"""Meeting pages walked by the personas: organiser, member (on the meeting), outsider."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetops.core.models import AuditEntry
from meetops.meetings.models import Meeting, MeetingKind, MeetingRole, Stage
from meetops.meetings.services import add_participant
from meetops.policy.models import StepStatus

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def meeting(make_meeting, organiser, member):
    m = make_meeting(
        title="预算协调会", confidentiality="confidential", goals="定预算", location="第一会议室"
    )
    add_participant(m, actor=organiser, user=member, role=MeetingRole.PARTICIPANT)
    return m


def test_detail_for_organiser_shows_steps_and_transitions(client, organiser, meeting):
    client.force_login(organiser)
    response = client.get(reverse("meeting_detail", args=[meeting.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "预算协调会" in body
    assert 'data-clause="P2.2"' in body
    assert 'name="to" value="preparing"' in body
    assert reverse("meeting_edit", args=[meeting.pk]) in body


def test_member_sees_the_meeting_but_no_transition_buttons(client, member, meeting):
    client.force_login(member)
    response = client.get(reverse("meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="to"' not in body
    assert reverse("meeting_edit", args=[meeting.pk]) not in body


def test_outsider_gets_404_on_a_confidential_meeting(client, outsider, meeting):
    client.force_login(outsider)
    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meeting_edit", args=[meeting.pk])).status_code == 404
    response = client.post(reverse("meeting_transition", args=[meeting.pk]), {"to": "preparing"})
    assert response.status_code == 404


def test_confidential_meeting_is_not_listed_for_an_outsider(
    client, outsider, member, meeting, make_meeting
):
    make_meeting(title="公开讲座", confidentiality="public")
    client.force_login(outsider)
    body = client.get(reverse("meeting_list")).content.decode()
    assert "公开讲座" in body and "预算协调会" not in body
    client.force_login(member)
    assert "预算协调会" in client.get(reverse("meeting_list")).content.decode()


def test_member_cannot_edit_or_transition(client, member, meeting):
    client.force_login(member)
    assert client.get(reverse("meeting_edit", args=[meeting.pk])).status_code == 403
    response = client.post(
        reverse("meeting_transition", args=[meeting.pk]), {"to": "cancelled"}, headers=HTMX
    )
    assert 'data-code="forbidden"' in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).stage == Stage.DRAFT


def test_anonymous_is_sent_to_login(client, meeting):
    response = client.get(reverse("meeting_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_list_filters_and_htmx_fragment(client, organiser, make_meeting):
    make_meeting(title="党组会议", kind="leadership")
    make_meeting(title="新员工培训", kind="training")
    client.force_login(organiser)
    response = client.get(reverse("meeting_list"), {"kind": "training"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body  # only the results fragment
    assert "新员工培训" in body and "党组会议" not in body
    body = client.get(reverse("meeting_list"), {"q": "党组"}).content.decode()
    assert "<html" in body and "党组会议" in body and "新员工培训" not in body


def test_list_date_range_and_mine(client, organiser, make_user, make_meeting):
    other = make_user("other", roles=("organiser",))
    soon = timezone.now() + timedelta(days=2)
    make_meeting(title="近期会议", start=soon)
    make_meeting(title="远期会议", start=soon + timedelta(days=60))
    make_meeting(title="别人的会议", actor=other, start=soon)
    client.force_login(organiser)
    day = timezone.localdate(soon).isoformat()
    body = client.get(reverse("meeting_list"), {"date_from": day, "date_to": day}).content.decode()
    assert "近期会议" in body and "远期会议" not in body and "别人的会议" in body
    body = client.get(reverse("meeting_list"), {"mine": "on"}).content.decode()
    assert "别人的会议" not in body and "远期会议" in body


def test_list_paginates(client, organiser, make_meeting):
    for i in range(23):
        make_meeting(title=f"会议{i:02d}")
    client.force_login(organiser)
    first = client.get(reverse("meeting_list")).content.decode()
    second = client.get(reverse("meeting_list"), {"page": 2}).content.decode()
    assert first.count('class="item-title"') == 20
    assert second.count('class="item-title"') == 3


def test_list_query_count_does_not_grow(
    client, organiser, make_meeting, django_assert_max_num_queries
):
    client.force_login(organiser)
    make_meeting(title="一")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("meeting_list"))
    for i in range(15):
        make_meeting(title=f"会{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("meeting_list"))


def test_calendar_month_and_week(client, organiser, make_meeting, django_assert_max_num_queries):
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(
        days=1
    )
    m = make_meeting(title="日历会议", start=start)
    client.force_login(organiser)
    day = timezone.localdate(start).isoformat()
    with django_assert_max_num_queries(8):
        body = client.get(reverse("meeting_calendar"), {"date": day}).content.decode()
    assert "日历会议" in body and reverse("meeting_detail", args=[m.pk]) in body
    body = client.get(
        reverse("meeting_calendar"), {"view": "week", "date": day}, headers=HTMX
    ).content.decode()
    assert "<html" not in body and f'data-date="{day}"' in body and "日历会议" in body
    body = client.get(
        reverse("meeting_calendar"), {"view": "week", "date": "2001-01-01"}
    ).content.decode()
    assert "日历会议" not in body


def _meeting_form(**fields):
    return {
        "title": "新建会议",
        "kind": MeetingKind.objects.get(code="regular").pk,
        "start": "2026-12-01T09:00",
        "end": "2026-12-01T11:00",
        "format": "onsite",
        "confidentiality": "internal",
        **fields,
    }


def test_create_meeting_in_site_time_zone(client, organiser):
    client.force_login(organiser)
    response = client.post(reverse("meeting_create"), _meeting_form(location="二楼"))
    meeting = Meeting.objects.get(title="新建会议")
    assert response.status_code == 302
    assert response["Location"] == reverse("meeting_detail", args=[meeting.pk])
    assert meeting.start.isoformat() == "2026-12-01T01:00:00+00:00"  # 09:00 in Asia/Shanghai


def test_create_shows_domain_error_on_the_field(client, organiser):
    client.force_login(organiser)
    form = _meeting_form(title="倒序会议", start="2026-12-01T11:00", end="2026-12-01T09:00")
    response = client.post(reverse("meeting_create"), form)
    assert response.status_code == 200
    assert response.context["form"].errors["end"]
    assert 'id="id_end_errors"' in response.content.decode()
    assert not Meeting.objects.filter(title="倒序会议").exists()


def test_member_cannot_open_the_create_page(client, member):
    client.force_login(member)
    assert client.get(reverse("meeting_create")).status_code == 403


def test_edit_meeting_keeps_local_times(client, organiser, meeting):
    client.force_login(organiser)
    page = client.get(reverse("meeting_edit", args=[meeting.pk])).content.decode()
    local = timezone.localtime(meeting.start).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{local}"' in page
    response = client.post(
        reverse("meeting_edit", args=[meeting.pk]),
        {
            "title": "预算协调会（改）",
            "kind": meeting.kind_id,
            "start": local,
            "end": timezone.localtime(meeting.end).strftime("%Y-%m-%dT%H:%M"),
            "format": "online",
            "online_url": "https://meet.example.org/x",
            "confidentiality": "confidential",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "预算协调会（改）" and meeting.format == "online"
    assert AuditEntry.objects.filter(
        action="meetings.meeting.updated", object_id=str(meeting.pk)
    ).exists()


def test_blocked_transition_then_override_with_reason(client, organiser, meeting):
    client.force_login(organiser)
    url = reverse("meeting_transition", args=[meeting.pk])
    client.post(url, {"to": "preparing"}, headers=HTMX)  # draft's plan is complete from evidence
    response = client.post(url, {"to": "ready"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'data-code="steps_open"' in body and "P2.2" in body and 'name="override_reason"' in body
    assert Meeting.objects.get(pk=meeting.pk).stage == Stage.PREPARING
    response = client.post(
        url, {"to": "ready", "override_reason": "领导临时决定提前开会"}, headers=HTMX
    )
    assert Meeting.objects.get(pk=meeting.pk).stage == Stage.READY
    entry = AuditEntry.objects.get(action="meetings.meeting.stage_overridden")
    assert entry.data["override_reason"] == "领导临时决定提前开会" and entry.source == "ui"


def test_blocked_without_override_right_shows_no_override_form(client, make_user, make_meeting):
    leader = make_user("leader", roles=("leader",))
    meeting = make_meeting(actor=leader, title="领导会议")
    meeting.steps.filter(stage="draft").update(status=StepStatus.OPEN, completion="sign_off")
    client.force_login(leader)
    body = client.post(
        reverse("meeting_transition", args=[meeting.pk]), {"to": "preparing"}, headers=HTMX
    ).content.decode()
    assert 'data-code="steps_open"' in body and 'name="override_reason"' not in body


def test_transition_without_htmx_redirects(client, organiser, meeting):
    client.force_login(organiser)
    response = client.post(reverse("meeting_transition", args=[meeting.pk]), {"to": "cancelled"})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).stage == Stage.CANCELLED


@pytest.mark.django_db
@pytest.mark.parametrize("stage", [Stage.CLOSED, Stage.CANCELLED])
def test_a_frozen_meeting_offers_no_edit_button(client, organiser, meeting, stage):
    edit = reverse("meeting_edit", args=[meeting.pk])
    client.force_login(organiser)
    assert edit in client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    Meeting.objects.filter(pk=meeting.pk).update(stage=stage)
    assert edit not in client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
