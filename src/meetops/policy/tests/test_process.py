"""The process template is versioned, and advancing past open steps needs the right person and a reason."""

from __future__ import annotations

import pytest

from meetops.core.models import AuditEntry
from meetops.meetings import services as meetings
from meetops.policy import services as process
from meetops.policy.models import Completion, ProcessTemplate

pytestmark = pytest.mark.django_db


def _clauses(meeting) -> list[str]:
    return list(meeting.steps.order_by("order", "id").values_list("clause", flat=True))


def _publish_v2(admin_user) -> ProcessTemplate:
    draft = process.draft_new_version(actor=admin_user, notes="P2.9 不再强制；新增 P5.6 应急演练")
    p29 = draft.steps.get(clause="P2.9")
    p29.required = False
    p29.title_zh_hans = "制定应急预案（大型会议）"
    p29.save()
    draft.steps.create(
        stage="preparing",
        order=99,
        clause="P5.6",
        required=True,
        owner_role="organiser",
        title_zh_hans="组织应急演练",
        title_en="Run the emergency drill",
    )
    return process.publish_version(draft, actor=admin_user)


def test_a_new_version_leaves_running_meetings_alone_and_applies_to_new_ones(
    admin_user, make_meeting
):
    old = make_meeting(title="旧流程会议")
    before = list(old.steps.values_list("clause", "required", "title_zh_hans"))
    v2 = _publish_v2(admin_user)
    assert v2.version == 2 and v2.is_current
    assert ProcessTemplate.objects.filter(is_current=True).count() == 1

    old.refresh_from_db()
    assert old.process_version.version == 1
    assert list(old.steps.values_list("clause", "required", "title_zh_hans")) == before
    assert "P5.6" not in _clauses(old)

    new = make_meeting(title="新流程会议")
    assert new.process_version == v2
    assert "P5.6" in _clauses(new)
    p29 = new.steps.get(clause="P2.9")
    assert not p29.required and p29.title_zh_hans == "制定应急预案（大型会议）"
    actions = list(
        AuditEntry.objects.filter(object_type="processtemplate").values_list("action", flat=True)
    )
    assert sorted(actions) == ["policy.template.drafted", "policy.template.published"]


def test_only_admins_version_the_process(organiser):
    from meetops.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        process.draft_new_version(actor=organiser)


def test_a_version_naming_an_unknown_rule_cannot_be_published(admin_user):
    from meetops.core.errors import ValidationFailed

    draft = process.draft_new_version(actor=admin_user)
    draft.steps.filter(clause="P2.2").update(
        completion=Completion.AUTOMATIC, rule="venues.nothing_like_it"
    )
    with pytest.raises(ValidationFailed) as error:
        process.publish_version(draft, actor=admin_user)
    assert error.value.code == "unknown_rule" and error.value.details == {
        "rules": ["venues.nothing_like_it"]
    }
    assert process.current_template().version == 1


def _override(api, meeting, reason="领导同意先行推进"):
    return api.post(
        f"/api/v1/meetings/{meeting.pk}/transitions", {"to": "preparing", "override_reason": reason}
    )


def test_member_cannot_override(api_as, member, make_meeting):
    response = _override(api_as(member), make_meeting())
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_meeting_organiser_without_the_global_role_cannot_override(
    api_as, organiser, member, make_meeting
):
    meeting = make_meeting()
    meetings.add_participant(meeting, actor=organiser, user=member, role="organiser")
    response = _override(api_as(member), meeting)
    assert response.status_code == 403 and response.json()["error"]["code"] == "override_forbidden"
    # The same person may still advance once the steps are done.
    meetings.update_meeting(meeting, actor=member, goals="目标", location="会议室")
    moved = api_as(member).post(f"/api/v1/meetings/{meeting.pk}/transitions", {"to": "preparing"})
    assert moved.status_code == 200


def test_leader_who_created_a_meeting_cannot_override(api_as, make_user, make_meeting):
    leader = make_user("leader", roles=("leader",))
    response = _override(api_as(leader), make_meeting(actor=leader))
    assert response.status_code == 403 and response.json()["error"]["code"] == "override_forbidden"


def test_organiser_by_global_role_overrides_with_a_reason_and_it_is_audited(
    api_as, organiser, make_meeting
):
    meeting = make_meeting()
    api = api_as(organiser)
    blank = _override(api, meeting, reason="   ")
    assert blank.status_code == 409 and blank.json()["error"]["code"] == "steps_open"
    moved = _override(api, meeting)
    assert moved.status_code == 200 and moved.json()["stage"] == "preparing"
    entry = AuditEntry.objects.get(action="meetings.meeting.stage_overridden")
    assert entry.actor_name == "organiser" and entry.source == "api"
    assert entry.data["override_reason"] == "领导同意先行推进"
    assert entry.changes == {"stage": ["draft", "preparing"]}
    # The overridden step stays open: the override moved the stage, it did not pretend the work was done.
    assert meeting.steps.get(clause="P2.1").status == "open"


def test_organiser_not_on_the_meeting_cannot_override_it(api_as, make_user, make_meeting):
    other = make_user("other-organiser", roles=("organiser",))
    response = _override(api_as(other), make_meeting())
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_admin_overrides(api_as, admin_user, make_meeting):
    assert _override(api_as(admin_user), make_meeting()).status_code == 200


def test_cancelling_needs_no_open_steps_done(api_as, organiser, make_meeting):
    meeting = make_meeting(goals="g", location="l")
    api = api_as(organiser)
    assert (
        api.post(f"/api/v1/meetings/{meeting.pk}/transitions", {"to": "preparing"}).status_code
        == 200
    )
    response = api.post(f"/api/v1/meetings/{meeting.pk}/transitions", {"to": "cancelled"})
    assert response.status_code == 200 and response.json()["stage"] == "cancelled"
    assert response.json()["allowed_transitions"] == []
