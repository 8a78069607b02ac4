"""The demo: P2.9 of demo meetings completes from a plan a leader approved."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_demo_meetings_have_approved_emergency_plans():
    from meetops.core.demo import load_demo
    from meetops.policy.services import effective_status
    from meetops.risks.models import EmergencyPlan

    load_demo()
    approved = EmergencyPlan.objects.filter(status="approved").select_related(
        "meeting", "decided_by"
    )
    assert approved.exists()
    for plan in approved:
        assert plan.decided_by.has_role("leader") and "120" in plan.medical
        step = plan.meeting.steps.get(clause="P2.9")
        assert effective_status(step) == "done"
