"""Drafting from real minutes, the approval state machine, permissions by persona, the outbox, 批示 → actions."""

from __future__ import annotations

import pytest
from django.db import transaction

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.meetings.services import add_participant
from meetops.minutes.models import ActionItem
from meetops.notifications.models import OutboxMessage
from meetops.policy.rules import is_met
from meetops.reports import services
from meetops.reports.decisions import REPORT
from meetops.reports.models import Instruction, ReportRevision

pytestmark = pytest.mark.django_db


def test_drafting_pulls_topics_decisions_summary_attendance_and_actions(drafted, recorded):
    assert drafted.title == "会议总结报告：季度工作会议"
    assert drafted.topics == "1. 上季度总结\n2. 预算讨论"
    assert "预算讨论\n讨论了差旅预算" in drafted.discussion
    assert drafted.consensus == "1. 同意增加差旅预算十万元（赞成 7，反对 1，弃权 0）"
    assert drafted.summary == "会议圆满完成各项议程"
    assert "财务部下周拿出方案" in drafted.follow_up
    assert "1. 财务部拿出方案（member，截止 2030-01-15）" in drafted.follow_up
    assert "应到 4 人" in drafted.overview
    assert drafted.state == "draft" and drafted.revision == 1
    assert ReportRevision.objects.filter(report=drafted, action="drafted").count() == 1
    assert AuditEntry.objects.filter(action="reports.report.drafted").exists()


def test_edits_keep_revisions_and_stale_revision_is_refused(drafted, organiser):
    report = services.save_report(
        drafted.meeting,
        actor=organiser,
        fields={**drafted.content(), "summary": "改写后的总结"},
        revision=1,
    )
    assert report.revision == 2 and report.summary == "改写后的总结"
    assert list(report.revisions.values_list("action", flat=True)) == ["saved", "drafted"]
    assert report.revisions.get(action="drafted").snapshot["summary"] == "会议圆满完成各项议程"
    with pytest.raises(DomainError) as exc:
        services.save_report(drafted.meeting, actor=organiser, fields=drafted.content(), revision=1)
    assert exc.value.code == "report_changed"


def test_personas_may_not_draft_or_submit(recorded, drafted, member, outsider, leader):
    for persona in (member, outsider, leader):
        with pytest.raises(DomainError) as exc:
            services.draft_report(recorded, actor=persona)
        assert exc.value.code == "forbidden"
        with pytest.raises(DomainError) as exc:
            services.submit_report(drafted, actor=persona, leaders=[leader])
        assert exc.value.code == "forbidden"


def test_only_leaders_who_may_see_the_meeting_can_be_chosen(drafted, organiser, member):
    with pytest.raises(DomainError) as exc:
        services.submit_report(drafted, actor=organiser, leaders=[member])
    assert exc.value.code == "invalid_leader"
    with pytest.raises(DomainError) as exc:
        services.submit_report(drafted, actor=organiser, leaders=[])
    assert exc.value.code == "leaders_required"


def test_submit_tells_leaders_in_app_and_by_mail_in_the_same_transaction(
    drafted, organiser, leader, leader2
):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.submit_report(drafted, actor=organiser, leaders=[leader, leader2])
        assert OutboxMessage.objects.filter(event="reports.awaiting").count() == 4
        raise RuntimeError("rolled back")
    assert not OutboxMessage.objects.filter(event="reports.awaiting").exists()
    drafted.refresh_from_db()
    assert drafted.state == "draft"

    report = services.submit_report(drafted, actor=organiser, leaders=[leader, leader2])
    assert report.state == "submitted" and report.locked
    rows = OutboxMessage.objects.filter(event="reports.awaiting")
    assert {(r.user.username, r.channel) for r in rows} == {
        ("leader", "inapp"),
        ("leader", "email"),
        ("leader2", "inapp"),
        ("leader2", "email"),
    }
    assert rows.get(user=leader2, channel="email").subject.startswith("會議總結報告待您批示")
    assert f"/meetings/{report.meeting_id}/report/" in rows.get(user=leader, channel="email").body
    assert is_met("reports.report_written", report.meeting)
    assert not is_met("reports.instructions_recorded", report.meeting)


def test_locked_while_submitted_and_after_approval(submitted, organiser, leader, leader2):
    with pytest.raises(DomainError) as exc:
        services.save_report(submitted.meeting, actor=organiser, fields={"summary": "x"})
    assert exc.value.code == "report_locked"
    services.approve_report(submitted, actor=leader, instructions="抓紧落实预算\n\n下月汇报进展")
    report = services.approve_report(submitted, actor=leader2)
    assert report.state == "approved" and report.approved_at
    assert is_met("reports.instructions_recorded", report.meeting)
    approvals = {a.leader.username: a for a in report.approvals.all()}
    assert approvals["leader2"].no_instructions and not approvals["leader"].no_instructions
    assert list(report.instructions.values_list("number", "text")) == [
        (1, "抓紧落实预算"),
        (2, "下月汇报进展"),
    ]
    with pytest.raises(DomainError) as exc:
        services.draft_report(report.meeting, actor=organiser)
    assert exc.value.code == "report_locked"
    with pytest.raises(DomainError) as exc:
        services.approve_report(report, actor=leader, instructions="again")
    assert exc.value.code == "report_wrong_state"


def test_one_approval_is_not_enough_and_a_return_needs_instructions(
    submitted, organiser, leader, leader2, member
):
    organiser.email = "organiser@example.org"
    organiser.save(update_fields=["email"])
    report = services.approve_report(submitted, actor=leader)
    assert report.state == "submitted"
    with pytest.raises(DomainError) as exc:
        services.approve_report(report, actor=leader)
    assert exc.value.code == "not_your_report"
    with pytest.raises(DomainError) as exc:
        services.approve_report(report, actor=member)
    assert exc.value.code == "not_your_report"
    with pytest.raises(DomainError) as exc:
        services.return_report(report, actor=leader2, instructions=" ")
    assert exc.value.code == "instructions_required"
    report = services.return_report(report, actor=leader2, instructions="补充预算明细")
    assert report.state == "returned" and not report.locked
    told = OutboxMessage.objects.filter(event="reports.instructed", user=organiser)
    assert {r.channel for r in told} == {"inapp", "email"}
    assert any("补充预算明细" in r.body for r in told)
    # Edited and submitted again: every chosen leader decides again.
    services.save_report(report.meeting, actor=organiser, fields={"consensus": "补充了预算明细"})
    report = services.submit_report(report, actor=organiser, leaders=[leader2])
    assert [a.decision for a in report.approvals.all()] == ["pending"]
    report = services.approve_report(report, actor=leader2)
    assert report.state == "approved"


def test_instructions_become_action_items_through_the_minutes_app(
    submitted, organiser, leader, leader2, member, outsider
):
    services.approve_report(submitted, actor=leader, instructions="抓紧落实预算\n下月汇报进展")
    report = services.approve_report(submitted, actor=leader2)
    first, second = Instruction.objects.filter(report=report)
    with pytest.raises(DomainError) as exc:
        services.plan_instruction(first, actor=outsider, owner=member)
    assert exc.value.code == "forbidden"
    actions = services.plan_instructions(
        report,
        actor=organiser,
        rows=[{"instruction": first, "owner": member}, {"instruction": second, "owner": member}],
    )
    assert [a.title for a in actions] == ["抓紧落实预算", "下月汇报进展"]
    first.refresh_from_db()
    assert first.action == actions[0] and actions[0].meeting_id == report.meeting_id
    assert AuditEntry.objects.filter(action="minutes.action.created").count() == 3
    assert OutboxMessage.objects.filter(event="action.assigned", user=member).exists()
    with pytest.raises(DomainError) as exc:
        services.plan_instruction(first, actor=organiser, owner=member)
    assert exc.value.code == "instruction_planned"
    assert ActionItem.objects.filter(instruction__isnull=False).count() == 2


def test_a_leader_who_submits_cannot_choose_themselves(recorded, organiser, make_user, leader):
    both = make_user("both", roles=("organiser", "leader"))
    add_participant(recorded, actor=organiser, user=both, role="organiser")
    report = services.draft_report(recorded, actor=both)
    with pytest.raises(DomainError) as exc:
        services.submit_report(report, actor=both, leaders=[leader, both])
    assert exc.value.code == "own_submission"
    assert report.__class__.objects.get(pk=report.pk).state == "draft"
    services.submit_report(report, actor=both, leaders=[leader])
    assert not REPORT.pending_for(both)
    assert [a.leader for a in REPORT.pending_for(leader)] == [leader]
    services.approve_report(report, actor=leader)
    assert not REPORT.pending_for(leader)


def test_a_leader_decides_once_per_round(submitted, leader):
    services.approve_report(submitted, actor=leader, instructions="抓好落实")
    with pytest.raises(DomainError) as exc:
        services.return_report(submitted, actor=leader, instructions="再改")
    assert exc.value.code == "not_your_report"
    assert AuditEntry.objects.filter(action="reports.report.approved").count() == 1
