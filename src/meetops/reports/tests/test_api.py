"""The report API by persona: draft, edit, submit, approve/return with instructions, plan, approvals."""

from __future__ import annotations

import pytest

from meetops.minutes.models import ActionItem

pytestmark = pytest.mark.django_db


def _url(meeting, tail=""):
    return f"/api/v1/meetings/{meeting.pk}/report{tail}"


def test_report_api_walkthrough(api_as, recorded, organiser, leader, member):
    org = api_as(organiser)
    assert org.get(_url(recorded)).status_code == 404
    response = org.post(_url(recorded, "/draft"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "draft" and body["can_edit"]
    assert body["consensus"] == "1. 同意增加差旅预算十万元（赞成 7，反对 1，弃权 0）"
    body["summary"] = "会议取得圆满成功"
    response = org.put(_url(recorded), {k: v for k, v in body.items() if k in ReportFields})
    assert response.status_code == 200 and response.json()["revision"] == 2
    stale = org.put(_url(recorded), {**{k: body[k] for k in ReportFields}, "revision": 1})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "report_changed"
    bad = org.post(_url(recorded, "/submit"), {"leader_ids": [member.pk]})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_leader"
    response = org.post(_url(recorded, "/submit"), {"leader_ids": [leader.pk]})
    assert response.status_code == 200 and response.json()["state"] == "submitted"

    boss = api_as(leader)
    assert boss.get("/api/v1/approvals").json()[0]["kind"] == "report"
    assert boss.get(_url(recorded)).json()["summary"] == "会议取得圆满成功"
    assert boss.put(_url(recorded), {"title": "x"}).status_code == 403
    response = boss.post(_url(recorded, "/approve"), {"instructions": "抓紧落实\n按月汇报"})
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "approved"
    assert [i["text"] for i in body["instructions"]] == ["抓紧落实", "按月汇报"]
    assert boss.get("/api/v1/approvals").json() == []

    assert (
        boss.post(_url(recorded, "/instructions/1/actions"), {"owner_id": member.pk}).status_code
        == 403
    )
    response = org.post(
        _url(recorded, "/instructions/2/actions"), {"owner_id": member.pk, "due_date": "2030-02-01"}
    )
    assert response.status_code == 201, response.content
    action = ActionItem.objects.get(pk=response.json()["id"])
    assert action.title == "按月汇报" and action.owner == member and action.instruction.number == 2
    again = org.post(_url(recorded, "/instructions/2/actions"), {"owner_id": member.pk})
    assert again.json()["error"]["code"] == "instruction_planned"
    assert (
        org.post(_url(recorded, "/instructions/9/actions"), {"owner_id": member.pk}).status_code
        == 404
    )


ReportFields = ("title", "overview", "topics", "discussion", "consensus", "summary", "follow_up")


def test_personas_member_403_outsider_404(api_as, drafted, member, outsider):
    meeting = drafted.meeting
    response = api_as(member).get(_url(meeting))
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert api_as(member).post(_url(meeting, "/draft")).status_code == 403
    meeting.confidentiality = "confidential"
    meeting.save(update_fields=["confidentiality"])
    stranger = api_as(outsider)
    assert stranger.get(_url(meeting)).status_code == 404
    assert stranger.post(_url(meeting, "/draft")).status_code == 404
    assert stranger.post(_url(meeting, "/approve"), {"instructions": "x"}).status_code == 404


def test_return_needs_instructions(api_as, submitted, leader):
    response = api_as(leader).post(_url(submitted.meeting, "/return"), {"instructions": ""})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "instructions_required"
    response = api_as(leader).post(_url(submitted.meeting, "/return"), {"instructions": "补充数据"})
    assert response.json()["state"] == "returned"
