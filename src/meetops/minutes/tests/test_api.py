"""The minutes and action items API: the cycle, the personas, the error codes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetops.minutes import services

pytestmark = pytest.mark.django_db


def _url(meeting, tail: str = "") -> str:
    return f"/api/v1/meetings/{meeting.pk}/minutes{tail}"


def test_recorder_reads_a_skeleton_from_the_agenda_then_writes(
    api_as, meeting, recorder, agenda_ids
):
    api = api_as(recorder)
    body = api.get(_url(meeting)).json()
    assert (body["state"], body["revision"]) == ("draft", 0)
    assert [s["agenda_item_id"] for s in body["sections"]] == agenda_ids
    assert body["permissions"] == {"can_edit": True, "can_review": False, "can_publish": False}
    assert body["attendance"] == {"expected": 4, "required": 4, "present": None, "absent": None}
    sections = body["sections"]
    sections[1]["notes"] = "讨论了差旅预算"
    sections[1]["decisions"] = [
        {"text": "同意增加预算", "votes_for": 5, "votes_against": 0, "votes_abstain": 1}
    ]
    response = api.put(_url(meeting), {"revision": 0, "sections": sections, "summary": "圆满完成"})
    assert response.status_code == 200, response.json()
    saved = response.json()
    assert saved["revision"] == 1
    assert saved["sections"][1]["decisions"][0]["votes_abstain"] == 1
    stale = api.put(_url(meeting), {"revision": 0, "sections": sections})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "minutes_changed"


def test_validation_errors_name_the_rows(api_as, meeting, recorder):
    response = api_as(recorder).put(
        _url(meeting), {"sections": [{"title": "", "decisions": [{"text": "x", "votes_for": -2}]}]}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_minutes"
    assert {(r["section"], r["code"]) for r in error["details"]["rows"]} == {
        (0, "title_required"),
        (0, "invalid_votes"),
    }


def test_the_cycle_through_the_api(api_as, written, recorder, host, member):
    meeting = written.meeting
    assert api_as(recorder).post(_url(meeting, "/approve")).status_code == 403
    assert api_as(recorder).post(_url(meeting, "/submit")).json()["state"] == "submitted"
    returned = api_as(host).post(_url(meeting, "/return"), {"comment": ""})
    assert returned.json()["error"]["code"] == "comment_required"
    assert api_as(host).post(_url(meeting, "/approve")).json()["state"] == "approved"
    locked = api_as(host).put(_url(meeting), {"sections": []})
    assert (locked.status_code, locked.json()["error"]["code"]) == (409, "minutes_locked")
    # A participant cannot read it until it is published.
    hidden = api_as(member).get(_url(meeting))
    assert (hidden.status_code, hidden.json()["error"]["code"]) == (404, "minutes_not_published")
    assert api_as(host).post(_url(meeting, "/publish")).json()["state"] == "published"
    published = api_as(member).get(_url(meeting)).json()
    assert published["summary"] == "会议圆满完成各项议程"
    assert published["permissions"]["can_edit"] is False
    reopened = api_as(host).post(_url(meeting, "/reopen"), {"reason": "更正"})
    assert (reopened.json()["state"], reopened.json()["revision"]) == ("draft", 2)


def test_personas_member_gets_403_outsider_404_on_confidential(
    api_as, make_meeting, organiser, member, outsider
):
    from meetops.meetings.services import add_participant

    meeting = make_meeting(confidentiality="confidential")
    add_participant(meeting, actor=organiser, user=member, role="participant")
    assert api_as(member).put(_url(meeting), {"sections": []}).status_code == 403
    assert api_as(outsider).get(_url(meeting)).status_code == 404
    assert api_as(outsider).put(_url(meeting), {"sections": []}).status_code == 404
    assert api_as(outsider).post(_url(meeting, "/submit")).status_code == 404


def test_actions_api_create_list_mine_and_patch(
    api_as, meeting, recorder, member, outsider, written
):
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    decision_id = api_as(recorder).get(_url(meeting)).json()["sections"][1]["decisions"][0]["id"]
    created = api_as(recorder).post(
        f"/api/v1/meetings/{meeting.pk}/actions",
        {"title": "拿出方案", "owner_id": member.pk, "due_date": due, "decision_id": decision_id},
    )
    assert created.status_code == 201, created.json()
    action = created.json()
    assert (action["owner"], action["state"], action["decision_id"]) == (
        str(member),
        "open",
        decision_id,
    )
    assert (
        api_as(member)
        .post(f"/api/v1/meetings/{meeting.pk}/actions", {"title": "x", "owner_id": member.pk})
        .status_code
        == 403
    )
    no_owner = api_as(recorder).post(f"/api/v1/meetings/{meeting.pk}/actions", {"title": "x"})
    assert no_owner.json()["error"]["code"] == "owner_required"
    unknown = api_as(recorder).post(
        f"/api/v1/meetings/{meeting.pk}/actions", {"title": "x", "owner_id": 999999}
    )
    assert (unknown.status_code, unknown.json()["error"]["details"]["field"]) == (422, "owner_id")

    mine = api_as(member).get("/api/v1/actions", mine=1, state="open").json()
    assert [a["id"] for a in mine["items"]] == [action["id"]]
    assert api_as(outsider).get("/api/v1/actions", mine=1).json()["items"] == []
    assert api_as(member).get("/api/v1/actions", state="nonsense").status_code == 422

    done = api_as(member).patch(f"/api/v1/actions/{action['id']}", {"state": "done"})
    assert done.json()["error"]["code"] == "completion_note_required"
    done = api_as(member).patch(
        f"/api/v1/actions/{action['id']}", {"state": "done", "completion_note": "已提交"}
    )
    assert done.json()["state"] == "done"
    rename = api_as(member).patch(f"/api/v1/actions/{action['id']}", {"title": "改名"})
    assert (rename.status_code, rename.json()["error"]["code"]) == (403, "owner_fields_only")
    assert (
        api_as(outsider).patch(f"/api/v1/actions/{action['id']}", {"state": "open"}).status_code
        == 403
    )
    listed = api_as(outsider).get(f"/api/v1/meetings/{meeting.pk}/actions").json()
    assert listed["count"] == 1


def test_action_lists_do_not_grow_queries_with_rows(
    api_as, meeting, recorder, member, django_assert_max_num_queries
):
    api = api_as(member)
    for i in range(12):
        services.create_action(meeting, actor=recorder, title=f"事项{i}", owner=member)
    with django_assert_max_num_queries(8):
        body = api.get("/api/v1/actions", mine=1).json()
    assert body["count"] == 12
    with django_assert_max_num_queries(10):
        assert api.get(f"/api/v1/meetings/{meeting.pk}/actions").json()["count"] == 12
