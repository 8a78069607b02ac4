"""Issue 16 finding 11: the staffing plan is where duties are given, everyone's in one form."""

from __future__ import annotations

import pytest

from meetops.core.models import AuditEntry
from meetops.meetings import services as meetings
from meetops.meetings.models import DutyKind, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(guests, organiser, make_user):
    """A meeting with a host (duty note only), a staff member and two guests."""
    meeting = guests(2, confidentiality="restricted")
    host = meetings.add_participant(
        meeting, actor=organiser, name="主持人甲", role="host", duties="主持会议"
    )
    staff = meetings.add_participant(meeting, actor=organiser, name="工作人员乙", role="staff")
    return meeting, host, staff


def _post(client, meeting, rows):
    """The form as the page posts it: a participant and note per row, a box per ticked kind."""
    data: dict[str, list[str]] = {"participant": [], "note": []}
    for index, (participant, kinds, note) in enumerate(rows):
        data["participant"].append(str(participant.pk))
        data["note"].append(note)
        for kind in kinds:
            data.setdefault(f"kind_{kind}", []).append(str(index))
    return client.post(f"/meetings/{meeting.pk}/staffing/save/", data)


def test_the_organiser_gives_everyones_duties_in_one_form(client, plan, organiser):
    meeting, host, staff = plan
    guest = meeting.participants.get(name="嘉宾1")
    client.force_login(organiser)
    page = client.get(f"/meetings/{meeting.pk}/staffing/").content.decode()
    assert 'id="duties-form"' in page and 'name="kind_desk"' in page
    assert "嘉宾1" in page  # everyone may be given a duty, not only those with a role
    response = _post(
        client,
        meeting,
        [
            (host, [], "主持会议"),
            (staff, [DutyKind.DESK, DutyKind.SECURITY], "签到台，兼安保"),
            (guest, [DutyKind.RECORDING], ""),
        ],
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    guest.refresh_from_db()
    assert staff.duty_kinds == ["desk", "security"] and staff.duties == "签到台，兼安保"
    assert guest.duty_kinds == ["recording"]
    entries = AuditEntry.objects.filter(action="meetings.participant.duties_given")
    assert entries.count() == 2  # the host's row did not change
    plan_page = client.get(f"/meetings/{meeting.pk}/staffing/").content.decode()
    assert plan_page.count(" checked>") == 3


def test_a_refused_row_keeps_everything_typed_and_saves_nothing(client, plan, organiser):
    meeting, host, staff = plan
    client.force_login(organiser)
    response = _post(
        client,
        meeting,
        [(host, [DutyKind.LOGISTICS], "保障"), (staff, [DutyKind.DESK], "x" * 5001)],
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert 'value="保障"' in text  # the first row as typed
    assert "data-row-errors" in text and 'id="duty-row-2"' in text
    assert 'id="duty-row-2" class="has-error"' in text
    assert 'id="duty-row-1" class="has-error"' not in text
    host.refresh_from_db()
    assert host.duty_kinds == [] and host.duties == "主持会议"  # all or nothing
    assert not AuditEntry.objects.filter(action="meetings.participant.duties_given").exists()


def test_a_person_removed_meanwhile_is_named_by_row(client, plan, organiser):
    meeting, host, staff = plan
    client.force_login(organiser)
    gone = Participant.objects.get(pk=staff.pk)
    meetings.remove_participant(gone, actor=organiser)
    response = _post(client, meeting, [(host, [], "主持会议"), (staff, [DutyKind.DESK], "")])
    assert response.status_code == 422
    assert 'id="duty-row-2" class="has-error"' in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("member", 403), ("outsider", 404)])
def test_only_those_who_manage_the_meeting_give_duties(
    client, plan, request, member, outsider, organiser, persona, status
):
    meeting, _host, staff = plan
    meetings.add_participant(meeting, actor=organiser, user=member)
    client.force_login(request.getfixturevalue(persona))
    assert _post(client, meeting, [(staff, [DutyKind.DESK], "")]).status_code == status
    staff.refresh_from_db()
    assert staff.duty_kinds == []
    if persona == "member":
        page = client.get(f"/meetings/{meeting.pk}/staffing/").content.decode()
        assert "duties-form" not in page and "主持会议" in page


def test_the_page_query_count_does_not_grow_with_people(
    client, plan, organiser, django_assert_max_num_queries
):
    meeting, _host, _staff = plan
    client.force_login(organiser)
    with django_assert_max_num_queries(40) as few:
        client.get(f"/meetings/{meeting.pk}/staffing/")
    for i in range(20):
        meetings.add_participant(meeting, actor=organiser, name=f"人{i}", role="staff")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/meetings/{meeting.pk}/staffing/").status_code == 200


def test_the_api_reads_and_patches_duty_kinds(api_as, plan, organiser):
    meeting, _host, staff = plan
    api = api_as(organiser)
    url = f"/api/v1/meetings/{meeting.pk}/participants/{staff.pk}"
    changed = api.patch(url, {"duty_kinds": ["security", "desk"], "duties": "南门"})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["duty_kinds"], changed.json()["duties"]) == (
        ["desk", "security"],
        "南门",
    )
    refused = api.patch(url, {"duty_kinds": ["cooking"]})
    assert refused.status_code == 422
    added = api.post(
        f"/api/v1/meetings/{meeting.pk}/participants",
        {"name": "赵六", "role": "staff", "duties": "协助签到台"},
    )
    assert added.json()["duty_kinds"] == ["desk"]  # typed duties start with the kinds they name
