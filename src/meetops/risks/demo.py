"""Demo evidence: approved emergency plans for P2.9.

The meetings loader asks for `risks.emergency_plan_approved` evidence while it walks a
meeting through "preparing": the organiser writes the plan from the template and a
leader who may see the meeting approves it. Where no leader may (a confidential
meeting), the step is signed off as before. Readiness (P2.10) is left to sign-off.
"""

from __future__ import annotations

from meetops.core.demo import demo_evidence
from meetops.core.errors import PermissionDenied
from meetops.meetings.models import Meeting
from meetops.people.models import Role, User
from meetops.risks import services
from meetops.risks.permissions import can_approve_plan


@demo_evidence("risks.emergency_plan_approved")
def plan_for_demo(meeting: Meeting, actor: User) -> None:
    leaders = User.objects.filter(role_assignments__role=Role.LEADER, is_active=True).order_by("pk")
    leader = next((u for u in leaders if can_approve_plan(u, meeting)), None)
    if leader is None:
        raise PermissionDenied()
    services.save_plan(meeting, actor=actor, sections={}, language="zh-hans")
    services.submit_plan(meeting, actor=actor)
    services.decide_plan(meeting, actor=leader, approve=True, note="同意，按预案执行")
