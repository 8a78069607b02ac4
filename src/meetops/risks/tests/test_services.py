"""Risk register, emergency plan approval and the readiness inspection, through the services."""

from __future__ import annotations

import pytest

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.policy.models import MeetingStep
from meetops.policy.rules import is_met
from meetops.risks import services
from meetops.risks.decisions import PLAN
from meetops.risks.levels import STARTERS, level_for, starters_for
from meetops.risks.models import Risk
from meetops.risks.selectors import readiness_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("likelihood", "impact", "level"),
    [
        (1, 1, "low"),
        (2, 2, "low"),
        (1, 5, "medium"),
        (3, 3, "medium"),
        (2, 5, "high"),
        (3, 4, "high"),
        (3, 5, "critical"),
        (5, 5, "critical"),
    ],
)
def test_level_matrix(likelihood, impact, level):
    assert level_for(likelihood, impact) == level


def test_add_and_update_risk_recomputes_level_and_audits(meeting, organiser, add_risk):
    risk = add_risk(meeting, likelihood=1, impact=2)
    assert risk.level == "low" and risk.score == 2
    risk = services.update_risk(risk, actor=organiser, likelihood=4, impact=4, status="mitigated")
    assert Risk.objects.get(pk=risk.pk).level == "critical"
    entry = AuditEntry.objects.filter(action="risks.risk.updated").get()
    assert entry.changes["level"] == ["low", "critical"]
    with pytest.raises(DomainError) as exc:
        services.update_risk(risk, actor=organiser, likelihood=6)
    assert exc.value.code == "invalid_risk" and exc.value.details["fields"] == ["likelihood"]


def test_member_and_leader_cannot_edit_the_register(meeting, member, leader, add_risk):
    for person in (member, leader):
        with pytest.raises(DomainError) as exc:
            add_risk(meeting, actor=person)
        assert exc.value.code == "forbidden"
    assert not Risk.objects.exists()


def test_starters_are_added_once_per_kind(meeting, organiser):
    created = services.add_starter_risks(meeting, actor=organiser)
    assert [r.starter for r in created] == starters_for("conference")
    assert all(r.response and r.level == level_for(r.likelihood, r.impact) for r in created)
    assert services.add_starter_risks(meeting, actor=organiser) == []
    assert Risk.objects.filter(meeting=meeting).count() == len(starters_for("conference"))
    assert set(starters_for("video")) <= set(STARTERS)


def _approved_plan(meeting, organiser, leader):
    services.save_plan(meeting, actor=organiser, sections={"duty_contacts": "王主任 13800000000"})
    services.submit_plan(meeting, actor=organiser)
    return services.decide_plan(meeting, actor=leader, approve=True)


def test_plan_state_machine(meeting, organiser, leader, member):
    plan = services.save_plan(meeting, actor=organiser, sections={"medical": "医务室 8888"})
    assert plan.status == "draft" and plan.evacuation  # template text for the untouched sections
    with pytest.raises(DomainError) as exc:
        services.decide_plan(meeting, actor=leader, approve=True)
    assert exc.value.code == "plan_state"
    services.submit_plan(meeting, actor=organiser)
    with pytest.raises(DomainError) as exc:
        services.save_plan(meeting, actor=organiser, sections={"medical": "改"})
    assert exc.value.code == "plan_state"
    with pytest.raises(DomainError) as exc:
        services.decide_plan(meeting, actor=organiser, approve=True)
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError) as exc:
        services.decide_plan(meeting, actor=leader, approve=False)
    assert exc.value.code == "note_required"
    plan = services.decide_plan(meeting, actor=leader, approve=False, note="补充疏散路线")
    assert plan.status == "returned" and not is_met("risks.emergency_plan_approved", meeting)
    services.submit_plan(meeting, actor=organiser)
    plan = services.decide_plan(meeting, actor=leader, approve=True)
    assert plan.status == "approved" and plan.decided_by == leader
    assert is_met("risks.emergency_plan_approved", meeting)
    # Editing an approved plan sends it back to draft.
    plan = services.save_plan(meeting, actor=organiser, sections={"security": "保卫处 110"})
    assert plan.status == "draft" and not is_met("risks.emergency_plan_approved", meeting)
    actions = list(
        AuditEntry.objects.filter(action__startswith="risks.plan.").values_list("action", flat=True)
    )
    assert actions.count("risks.plan.submitted") == 2 and "risks.plan.returned" in actions


def test_plan_template_follows_the_language(meeting, organiser):
    hant = services.save_plan(meeting, actor=organiser, sections={}, language="zh-hant")
    assert "疏散" in hant.evacuation or "集合" in hant.evacuation
    assert hant.language == "zh-hant"


def _check_all(meeting, actor):
    for item in readiness_of(meeting).items:
        if not item.automatic or item.evidence:
            services.check_item(meeting, item.code, actor=actor, note="已检查")


def test_readiness_blocked_by_unanswered_high_risk_and_unapproved_plan(
    meeting, organiser, leader, add_risk
):
    risk = add_risk(meeting, likelihood=4, impact=4, response="")
    readiness = readiness_of(meeting)
    assert readiness.item("risks_answered").evidence is False
    assert readiness.item("plan_approved").evidence is False
    with pytest.raises(DomainError) as exc:
        services.check_item(meeting, "risks_answered", actor=organiser)
    assert exc.value.code == "evidence_missing"
    _check_all(meeting, organiser)
    with pytest.raises(DomainError) as exc:
        services.sign_readiness(meeting, actor=organiser)
    assert exc.value.code == "readiness_incomplete"
    assert {"risks_answered", "plan_approved"} <= set(exc.value.details["items"])
    services.update_risk(risk, actor=organiser, response="备用投影仪放在控制室")
    _approved_plan(meeting, organiser, leader)
    _check_all(meeting, organiser)
    missing = readiness_of(meeting).missing
    assert "risks_answered" not in missing and "plan_approved" not in missing


def test_readiness_passes_when_all_required_items_are_ok(make_meeting, organiser, leader):
    online = make_meeting(
        title="线上培训", format="online", online_url="https://meet.example.org/x"
    )
    _approved_plan(online, organiser, leader)
    item = services.add_readiness_item(online, actor=organiser, label="茶水准备")
    readiness = readiness_of(online)
    for code in ("invitations_sent", "agenda_complete"):  # no invitations or agenda in this test
        readiness.item(code).required = False
    assert not is_met("risks.readiness_passed", online)
    _check_all(online, organiser)
    assert readiness_of(online).item(item.code).ok
    missing = set(readiness_of(online).missing)
    assert missing == {"invitations_sent", "agenda_complete"}
    with pytest.raises(DomainError):
        services.sign_readiness(online, actor=organiser)


def test_p29_and_p210_steps_are_automatic(meeting):
    steps = {s.clause: s for s in MeetingStep.objects.filter(meeting=meeting)}
    assert steps["P2.9"].rule == "risks.emergency_plan_approved"
    assert steps["P2.10"].rule == "risks.readiness_passed"
    assert steps["P2.9"].completion == "automatic"


def test_a_leader_who_submitted_the_plan_cannot_decide_it(make_meeting, make_user, leader):
    both = make_user("both", roles=("organiser", "leader"))
    meeting = make_meeting(actor=both)
    services.save_plan(meeting, actor=both, sections={"medical": "医务室 8888"})
    services.submit_plan(meeting, actor=both)
    with pytest.raises(DomainError) as exc:
        services.decide_plan(meeting, actor=both, approve=True)
    assert exc.value.code == "own_submission"
    assert not PLAN.pending_for(both)
    assert [p.meeting_id for p in PLAN.pending_for(leader)] == [meeting.pk]
    plan = services.decide_plan(meeting, actor=leader, approve=True)
    assert (plan.status, plan.decided_by) == ("approved", leader)
    assert not PLAN.pending_for(leader)


def test_the_same_plan_saved_again_is_not_audited_and_stays_approved(
    client, meeting, organiser, leader
):
    _approved_plan(meeting, organiser, leader)
    saves = AuditEntry.objects.filter(action="risks.plan.saved")
    assert saves.count() == 1
    plan = services.save_plan(
        meeting, actor=organiser, sections={"duty_contacts": "王主任 13800000000"}
    )
    assert plan.status == "approved" and saves.count() == 1
    plan = services.save_plan(meeting, actor=organiser, sections={"duty_contacts": "李主任"})
    assert plan.status == "draft" and saves.count() == 2

    client.force_login(organiser)
    form = {key: getattr(plan, key) for key in services.PLAN_SECTIONS}
    page = client.post(
        f"/meetings/{meeting.pk}/emergency-plan/",
        form,
        follow=True,
        headers={"Accept-Language": "zh-hans"},
    )
    assert "未作修改" in page.content.decode() and saves.count() == 2
