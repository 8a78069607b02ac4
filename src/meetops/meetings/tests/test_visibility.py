"""Who sees which meeting, for every global role and every per-meeting role, through the API.

List, detail, audit history and search give one answer: a meeting the caller
may not see does not exist for them (404, absent from lists and search).
"""

from __future__ import annotations

import pytest

from meetops.meetings import services
from meetops.meetings.models import Confidentiality, MeetingRole
from meetops.people import services as people
from meetops.people.models import Role

pytestmark = pytest.mark.django_db

LEVELS = [c.value for c in Confidentiality]
# Who sees a meeting of each level when they are not on it and not in its department.
SEES = {
    Role.ADMIN: set(LEVELS),
    Role.ORGANISER: {"public", "internal"},
    Role.LEADER: {"public", "internal", "restricted"},
    Role.ARCHIVIST: {"public", "internal", "restricted"},
    Role.STAFF: {"public", "internal"},
    Role.MEMBER: {"public", "internal"},
    # The security and audit administrators' duties give no sight of meetings (issue 11 #7).
    Role.SECURITY_ADMIN: {"public", "internal"},
    Role.AUDIT_ADMIN: {"public", "internal"},
}


@pytest.fixture
def setting(admin_user, make_user, make_meeting):
    """A meeting of each level, organised by the finance department, plus people outside it."""
    finance = people.create_department(name="财务处", actor=admin_user)
    it = people.create_department(name="信息中心", actor=admin_user)
    meetings = {
        level: make_meeting(title=f"会议-{level}-预算", confidentiality=level, department=finance)
        for level in LEVELS
    }
    users = {role: make_user(f"u-{role}", roles=(role,), department=it) for role in Role.values}
    return {"meetings": meetings, "users": users, "finance": finance}


def _visible_through_api(api, meeting) -> dict[str, bool]:
    listed = {m["id"] for m in api.get("/api/v1/meetings", limit=100).json()["items"]}
    searched = {m["id"] for m in api.get("/api/v1/meetings", q="预算", limit=100).json()["items"]}
    detail = api.get(f"/api/v1/meetings/{meeting.pk}")
    steps = api.get(f"/api/v1/meetings/{meeting.pk}/steps")
    history = api.get("/api/v1/audit", object_type="meeting", object_id=str(meeting.pk)).json()
    if detail.status_code == 404:
        assert detail.json()["error"]["code"] == "not_found"
        assert steps.status_code == 404
    return {
        "list": meeting.pk in listed,
        "search": meeting.pk in searched,
        "detail": detail.status_code == 200,
        "steps": steps.status_code == 200,
        "audit": history["count"] > 0,
    }


@pytest.mark.parametrize("role", Role.values)
def test_each_global_role_sees_exactly_its_levels(api_as, setting, role):
    api = api_as(setting["users"][role])
    for level, meeting in setting["meetings"].items():
        expected = level in SEES[role]
        seen = _visible_through_api(api, meeting)
        wanted = dict.fromkeys(seen, expected)
        if role == Role.AUDIT_ADMIN:
            wanted["audit"] = True  # the one exception: the audit administrator reads it all
        assert seen == wanted, (role, level, seen)


@pytest.mark.parametrize("meeting_role", MeetingRole.values)
def test_every_meeting_role_sees_a_confidential_meeting(api_as, setting, organiser, meeting_role):
    meeting = setting["meetings"]["confidential"]
    member = setting["users"][Role.MEMBER]
    api = api_as(member)
    assert not any(_visible_through_api(api, meeting).values())
    services.add_participant(meeting, actor=organiser, user=member, role=meeting_role)
    assert all(_visible_through_api(api, meeting).values())


def test_restricted_is_visible_to_its_department_and_below_not_to_siblings(
    api_as, admin_user, make_user, setting
):
    meeting = setting["meetings"]["restricted"]
    budget = people.create_department(name="预算科", parent=setting["finance"], actor=admin_user)
    in_dept = make_user("in-finance", department=setting["finance"])
    below = make_user("in-budget", department=budget)
    sibling = make_user(
        "in-hr", department=people.create_department(name="人事处", actor=admin_user)
    )
    assert all(_visible_through_api(api_as(in_dept), meeting).values())
    assert all(_visible_through_api(api_as(below), meeting).values())
    assert not any(_visible_through_api(api_as(sibling), meeting).values())
    # A department does not open a confidential meeting.
    assert not any(
        _visible_through_api(api_as(in_dept), setting["meetings"]["confidential"]).values()
    )


def test_creator_keeps_seeing_a_confidential_meeting(api_as, setting, organiser):
    meeting = setting["meetings"]["confidential"]
    assert all(_visible_through_api(api_as(organiser), meeting).values())


def test_unauthenticated_callers_see_nothing(api_as, setting):
    api = api_as(None)
    for meeting in setting["meetings"].values():
        assert api.get(f"/api/v1/meetings/{meeting.pk}").status_code == 401
    assert api.get("/api/v1/meetings").status_code == 401
    assert api.get("/api/v1/audit").status_code == 401


def test_an_invisible_meeting_cannot_be_changed_through_any_endpoint(api_as, setting):
    meeting = setting["meetings"]["confidential"]
    api = api_as(setting["users"][Role.LEADER])
    step = meeting.steps.first()
    calls = [
        api.patch(f"/api/v1/meetings/{meeting.pk}", {"title": "x"}),
        api.post(
            f"/api/v1/meetings/{meeting.pk}/transitions",
            {"to": "preparing", "override_reason": "x"},
        ),
        api.post(f"/api/v1/meetings/{meeting.pk}/steps/{step.pk}/complete", {"note": "x"}),
        api.post(f"/api/v1/meetings/{meeting.pk}/steps/{step.pk}/waive", {"reason": "x"}),
    ]
    assert [c.status_code for c in calls] == [404, 404, 404, 404]


def test_archivist_reads_the_rest_of_the_log_but_not_hidden_meetings(api_as, setting):
    api = api_as(setting["users"][Role.ARCHIVIST])
    types = {e["object_type"] for e in api.get("/api/v1/audit", limit=500).json()["items"]}
    assert {"user", "department", "meeting"} <= types
    hidden = str(setting["meetings"]["confidential"].pk)
    ids = {
        e["object_id"]
        for e in api.get("/api/v1/audit", object_type="meeting", limit=500).json()["items"]
    }
    assert hidden not in ids and str(setting["meetings"]["restricted"].pk) in ids
