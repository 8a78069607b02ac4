"""Step actions on the meeting page: complete (note + attachment), waive, reopen, by persona."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetops.core.models import AuditEntry
from meetops.meetings.models import MeetingRole
from meetops.meetings.services import add_participant
from meetops.policy.models import StepStatus

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def meeting(make_meeting, organiser, member):
    m = make_meeting(title="步骤会议", confidentiality="confidential")
    add_participant(m, actor=organiser, user=member, role=MeetingRole.STAFF)
    return m


def _step(meeting, clause):
    return meeting.steps.get(clause=clause)


def _url(name, meeting, step):
    return reverse(name, args=[meeting.pk, step.pk])


def test_organiser_completes_a_step_with_note_and_attachment(client, organiser, meeting):
    step = _step(meeting, "P2.2")
    client.force_login(organiser)
    upload = SimpleUploadedFile("booking.txt", b"room 301 confirmed", content_type="text/plain")
    response = client.post(
        _url("step_complete", meeting, step),
        {"note": "已订301", "attachment": upload},
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    step.refresh_from_db()
    assert (
        step.status == StepStatus.DONE and step.note == "已订301" and step.completed_by == organiser
    )
    assert f'id="step-{step.pk}" data-status="done"' in body
    download = client.get(_url("step_attachment", meeting, step))
    assert (
        download.status_code == 200
        and b"".join(download.streaming_content) == b"room 301 confirmed"
    )


def test_owner_role_member_completes_own_step_but_cannot_waive(client, member, meeting):
    staff_step = _step(meeting, "P2.4")  # owner: staff
    organiser_step = _step(meeting, "P2.3")
    client.force_login(member)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert _url("step_complete", meeting, staff_step) in page
    assert _url("step_complete", meeting, organiser_step) not in page
    assert _url("step_waive", meeting, staff_step) not in page
    client.post(_url("step_complete", meeting, staff_step), {"note": "物资齐了"}, headers=HTMX)
    staff_step.refresh_from_db()
    assert staff_step.status == StepStatus.DONE
    body = client.post(
        _url("step_waive", meeting, organiser_step), {"reason": "x"}, headers=HTMX
    ).content.decode()
    assert 'data-code="forbidden"' in body
    organiser_step.refresh_from_db()
    assert organiser_step.status == StepStatus.OPEN


def test_waive_needs_a_reason_and_reopen_restores(client, organiser, meeting):
    step = _step(meeting, "P2.6")
    client.force_login(organiser)
    body = client.post(
        _url("step_waive", meeting, step), {"reason": ""}, headers=HTMX
    ).content.decode()
    assert 'class="flash error"' in body
    client.post(_url("step_waive", meeting, step), {"reason": "无经费"}, headers=HTMX)
    step.refresh_from_db()
    assert step.status == StepStatus.WAIVED and step.note == "无经费"
    client.post(_url("step_reopen", meeting, step), {}, headers=HTMX)
    step.refresh_from_db()
    assert step.status == StepStatus.OPEN
    actions = list(
        AuditEntry.objects.filter(object_id=str(meeting.pk)).values_list("action", flat=True)
    )
    assert "policy.step.waived" in actions and "policy.step.reopened" in actions


def test_outsider_gets_404_for_step_actions(client, outsider, meeting):
    step = _step(meeting, "P2.2")
    client.force_login(outsider)
    assert client.post(_url("step_complete", meeting, step), {"note": "x"}).status_code == 404
    assert client.get(_url("step_attachment", meeting, step)).status_code == 404


def test_completing_twice_shows_step_not_open(client, organiser, meeting):
    step = _step(meeting, "P2.2")
    client.force_login(organiser)
    client.post(_url("step_complete", meeting, step), {"note": "a"}, headers=HTMX)
    body = client.post(
        _url("step_complete", meeting, step), {"note": "b"}, headers=HTMX
    ).content.decode()
    assert 'data-code="step_not_open"' in body


def test_without_htmx_step_action_redirects(client, organiser, meeting):
    step = _step(meeting, "P2.2")
    client.force_login(organiser)
    response = client.post(_url("step_complete", meeting, step), {"note": "a"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "meeting_detail", args=[meeting.pk]
    )
