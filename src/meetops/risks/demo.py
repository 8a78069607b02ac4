"""Demo evidence: approved emergency plans for P2.9, and a security plan for P3.7.

The meetings loader asks for `risks.emergency_plan_approved` evidence while it walks a
meeting through "preparing": the organiser writes the plan from the template and a
leader who may see the meeting approves it. Where no leader may (a confidential
meeting), the step is signed off as before. Readiness (P2.10) is left to sign-off.

In "ready" it asks for `risks.security_ready`: a visit from outside (a meeting of kind
"external", the city bureau's visit) gets a security plan as an office would write one
(a member of staff put on the meeting as its guard, two posts, the door list of everyone
on the meeting with the visitors as VIPs, entry checks), approved by a leader. Other
demo meetings sign P3.7 off by hand.
"""

from __future__ import annotations

from datetime import timedelta

from meetops.core.demo import demo_evidence
from meetops.core.errors import PermissionDenied
from meetops.meetings.models import Meeting, MeetingRole, Participant, ParticipantStatus
from meetops.meetings.services import add_participant
from meetops.people.models import Role, User
from meetops.risks import services
from meetops.risks.models import AccessKind
from meetops.risks.permissions import can_approve_plan
from meetops.risks.security import services as security

SECURED_KINDS = ("external",)
GUARD = "heping"


def _approver(meeting: Meeting) -> User:
    leaders = User.objects.filter(role_assignments__role=Role.LEADER, is_active=True).order_by("pk")
    leader = next((u for u in leaders if can_approve_plan(u, meeting)), None)
    if leader is None:
        raise PermissionDenied()
    return leader


@demo_evidence("risks.emergency_plan_approved")
def plan_for_demo(meeting: Meeting, actor: User) -> None:
    leader = _approver(meeting)
    services.save_plan(meeting, actor=actor, sections={}, language="zh-hans")
    services.submit_plan(meeting, actor=actor)
    services.decide_plan(meeting, actor=leader, approve=True, note="同意，按预案执行")


@demo_evidence("risks.security_ready")
def security_plan_for_demo(meeting: Meeting, actor: User) -> None:
    if meeting.kind.code not in SECURED_KINDS:
        return  # no evidence: the walk signs the step off
    leader = _approver(meeting)
    guard = add_participant(
        meeting,
        actor=actor,
        user=User.objects.get(username=GUARD),
        role=MeetingRole.STAFF,
        duties="安保：来宾引导、贵宾室门岗",
    )
    people = Participant.objects.filter(meeting=meeting, status=ParticipantStatus.ACTIVE).order_by(
        "id"
    )
    start, end = meeting.start, meeting.end
    security.save_security_plan(
        meeting,
        actor=actor,
        entry_checks="来宾凭名单和胸卡入场；随身包裹目视检查；会场内禁止拍照录像",
        restricted_areas="行政楼二楼以上办公区（会议期间不开放）",
        posts=[
            {
                "place": "行政楼一楼大厅",
                "duty": "迎候并引导来宾，核对来宾名单，发放胸卡",
                "start": start - timedelta(minutes=45),
                "end": start,
                "guard_ids": [guard.pk],
            },
            {
                "place": "行政楼一楼贵宾室门口",
                "duty": "门岗：凭胸卡入场，无关人员劝离",
                "start": start,
                "end": end,
                "guard_ids": [guard.pk],
            },
        ],
        door_list=[
            {
                "name": p.name,
                "organisation": p.organisation,
                # The visitors from outside are the VIPs; staff and the school's own people
                # enter as usual.
                "kind": AccessKind.VIP
                if p.contact_id and p.role != MeetingRole.STAFF
                else AccessKind.NORMAL,
                "participant_id": p.pk,
            }
            for p in people
        ],
    )
    security.submit_security_plan(meeting, actor=actor)
    security.decide_security_plan(meeting, actor=leader, approve=True, note="同意，按方案执行")
