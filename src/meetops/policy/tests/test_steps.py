"""Process steps: sign-off, waive, reopen, evidence rules, and who may do what."""

from __future__ import annotations

import pytest

from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole
from meetops.policy import services
from meetops.policy.models import StepStatus

pytestmark = pytest.mark.django_db


def _step(meeting, clause):
    return meeting.steps.get(clause=clause)


def test_steps_are_copied_from_the_current_version(make_meeting):
    meeting = make_meeting()
    assert meeting.process_version.version == 1
    assert meeting.steps.count() == meeting.process_version.steps.count()
    assert _step(meeting, "P2.2").title_en.startswith("Book the venue")


def test_owner_role_may_sign_off_but_a_plain_member_may_not(make_meeting, organiser, make_user):
    meeting = make_meeting()
    staff = make_user("staffer")
    meetings.add_participant(meeting, actor=organiser, user=staff, role=MeetingRole.STAFF)
    done = services.complete_step(_step(meeting, "P2.4"), actor=staff, note="物资已备齐")
    assert done.status == StepStatus.DONE and done.completed_by == staff
    bystander = make_user("bystander")
    with pytest.raises(PermissionDenied):
        services.complete_step(_step(meeting, "P2.9"), actor=bystander)


def test_waive_needs_a_reason_and_a_manager(make_meeting, organiser, member):
    meeting = make_meeting()
    with pytest.raises(ValidationFailed) as exc:
        services.waive_step(_step(meeting, "P2.7"), actor=organiser, reason=" ")
    assert exc.value.code == "reason_required"
    with pytest.raises(PermissionDenied):
        services.waive_step(_step(meeting, "P2.7"), actor=member, reason="n/a")
    waived = services.waive_step(
        _step(meeting, "P2.7"), actor=organiser, reason="内部会议，无需宣传"
    )
    assert waived.status == StepStatus.WAIVED
    with pytest.raises(DomainError) as exc:
        services.complete_step(waived, actor=organiser)
    assert exc.value.code == "step_not_open"
    reopened = services.reopen_step(waived, actor=organiser, reason="改为公开会议")
    assert reopened.status == StepStatus.OPEN


def test_host_rule_completes_p25_from_evidence(make_meeting, organiser, make_user):
    meeting = make_meeting()
    step = _step(meeting, "P2.5")
    assert services.effective_status(step) == StepStatus.OPEN
    meetings.add_participant(
        meeting, actor=organiser, user=make_user("host"), role=MeetingRole.HOST
    )
    step.refresh_from_db()
    assert services.effective_status(step) == StepStatus.DONE


def test_new_version_applies_to_new_meetings_only(make_meeting, admin_user):
    old = make_meeting(title="旧")
    draft = services.draft_new_version(actor=admin_user, notes="增加 P9.4 培训")
    draft.steps.filter(clause="P2.7").delete()
    services.publish_version(draft, actor=admin_user)
    new = make_meeting(title="新")
    assert old.steps.filter(clause="P2.7").exists()
    assert not new.steps.filter(clause="P2.7").exists()
    assert new.process_version == draft


def test_publishing_a_step_with_unknown_rule_is_refused(admin_user):
    draft = services.draft_new_version(actor=admin_user)
    draft.steps.filter(clause="P2.2").update(completion="automatic", rule="nowhere.nothing")
    with pytest.raises(ValidationFailed) as exc:
        services.publish_version(draft, actor=admin_user)
    assert exc.value.code == "unknown_rule"
