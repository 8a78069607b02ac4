"""Follow-up services with personas: owner, organiser, leader, member, outsider."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.followup import services
from meetops.followup.models import (
    ActionUpdate,
    DueDateChange,
    Escalation,
    EscalationState,
    Review,
    ReviewDecision,
)
from meetops.followup.tests.conftest import fresh
from meetops.minutes import services as minutes_services
from meetops.minutes.models import ActionState
from meetops.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def code_of(call: Callable[[], object]) -> str:
    with pytest.raises(DomainError) as exc:
        call()
    return exc.value.code


def test_the_owner_reports_progress_the_item_moves_along_and_the_organiser_hears(
    item, owner, organiser
):
    update = services.post_progress(item, actor=owner, percent=40, note="初稿完成")
    assert (update.kind, update.percent, update.author) == ("progress", 40, owner)
    item.refresh_from_db()
    assert item.state == ActionState.IN_PROGRESS
    assert AuditEntry.objects.filter(action="followup.progress.posted").count() == 1
    told = OutboxMessage.objects.filter(event="followup.progress")
    assert {m.user_id for m in told} == {organiser.pk}  # the owner is not told of their own report


def test_only_the_owner_reports_progress_with_a_valid_percentage(
    item, organiser, leader, member, outsider, owner
):
    for persona in (organiser, leader, member, outsider):
        assert (
            code_of(lambda p=persona: services.post_progress(item, actor=p, percent=10, note="x"))
            == "forbidden"
        )
    assert (
        code_of(lambda: services.post_progress(item, actor=owner, percent=101, note="x"))
        == "invalid_percent"
    )
    assert (
        code_of(lambda: services.post_progress(item, actor=owner, percent=10, note=" "))
        == "note_required"
    )
    assert ActionUpdate.objects.count() == 0


def test_an_attachment_is_judged_by_its_content(item, owner):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf")
    assert (
        code_of(
            lambda: services.post_progress(
                item, actor=owner, percent=10, note="附件", attachment=fake
            )
        )
        == "bad_attachment"
    )
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n")
    update = services.post_progress(item, actor=owner, percent=10, note="附件", attachment=pdf)
    assert update.attachment_type == "application/pdf"


def test_people_involved_comment_others_may_not(item, organiser, leader, owner, member, outsider):
    assert services.add_comment(item, actor=organiser, note="请补充数据").kind == "comment"
    assert services.add_comment(item, actor=leader, note="抓紧推进").kind == "comment"
    assert services.add_comment(item, actor=owner, note="收到").kind == "comment"
    assert code_of(lambda: services.add_comment(item, actor=member, note="?")) == "forbidden"
    assert code_of(lambda: services.add_comment(item, actor=outsider, note="?")) == "forbidden"
    # The owner hears of the organiser's and the leader's comments, in the app.
    assert OutboxMessage.objects.filter(event="followup.comment", user=owner).count() == 2


def test_a_due_date_change_needs_a_reason_and_is_kept(item, organiser, owner, member):
    new = item.due_date + timedelta(days=7)
    assert (
        code_of(lambda: services.change_due_date(item, actor=owner, due_date=new, reason="晚了"))
        == "forbidden"
    )
    assert (
        code_of(lambda: services.change_due_date(item, actor=organiser, due_date=new, reason=""))
        == "reason_required"
    )
    change = services.change_due_date(item, actor=organiser, due_date=new, reason="等待审批")
    item.refresh_from_db()
    assert item.due_date == new and change.old_date == new - timedelta(days=7)
    assert list(DueDateChange.objects.values_list("reason", flat=True)) == ["等待审批"]
    assert OutboxMessage.objects.filter(event="followup.due_changed", user=owner).exists()


def test_a_problem_goes_up_to_the_organiser_and_the_chosen_leader_who_answers(
    item, owner, organiser, leader, member
):
    escalation = services.raise_escalation(
        item, actor=owner, kind="resources", text_="需要追加经费", leaders=[leader]
    )
    assert {u.pk for u in escalation.recipients.all()} == {organiser.pk, leader.pk}
    to_leader = set(
        OutboxMessage.objects.filter(event="followup.escalated", user=leader).values_list(
            "channel", flat=True
        )
    )
    assert to_leader == {"inapp", "email"}
    assert (
        code_of(lambda: services.raise_escalation(item, actor=owner, kind="x", text_="?"))
        == "unknown_kind"
    )
    assert (
        code_of(
            lambda: services.raise_escalation(
                item, actor=owner, kind="decision", text_="?", leaders=[member]
            )
        )
        == "not_a_leader"
    )
    assert (
        code_of(lambda: services.raise_escalation(item, actor=member, kind="decision", text_="?"))
        == "forbidden"
    )
    assert (
        code_of(lambda: services.answer_escalation(escalation, actor=member, answer="好"))
        == "forbidden"
    )

    answered = services.answer_escalation(escalation, actor=leader, answer="同意追加两万元")
    assert (answered.state, answered.answered_by) == (EscalationState.ANSWERED, leader)
    assert OutboxMessage.objects.filter(event="followup.answered", user=owner).exists()
    assert (
        code_of(lambda: services.answer_escalation(escalation, actor=organiser, answer="再"))
        == "already_answered"
    )


def test_an_item_overdue_n_days_is_escalated_exactly_once(make_item, organiser, owner):
    late = make_item(title="逾期事项", due_in=-3)
    recent = make_item(title="刚逾期", due_in=-2)
    today = timezone.localdate()
    made = services.escalate_overdue(today=today, after_days=3)
    assert [e.action_id for e in made] == [late.pk]
    assert made[0].raised_by is None and made[0].overdue_since == late.due_date
    assert list(made[0].recipients.all()) == [organiser]
    assert services.escalate_overdue(today=today, after_days=3) == []  # not repeated
    assert (
        services.escalate_overdue(today=today + timedelta(days=1), after_days=3)[0].action_id
        == recent.pk
    )
    assert Escalation.objects.filter(action=late).count() == 1
    assert OutboxMessage.objects.filter(event="followup.escalated", user=organiser).exists()

    # A new due date, once missed by N days, is escalated again.
    services.change_due_date(
        late, actor=organiser, due_date=today - timedelta(days=4), reason="重新安排"
    )
    assert [e.action_id for e in services.escalate_overdue(today=today, after_days=3)] == [late.pk]
    assert Escalation.objects.filter(action=late).count() == 2


def test_the_periodic_job_uses_the_setting(make_item, settings):
    from meetops.core.scheduler import JOBS
    from meetops.followup.jobs import escalate_overdue_items

    assert "followup.escalate_overdue" in JOBS
    make_item(title="逾期一天", due_in=-1)
    settings.MEETOPS_ESCALATE_AFTER_DAYS = 3
    assert escalate_overdue_items() == 0
    settings.MEETOPS_ESCALATE_AFTER_DAYS = 1
    assert escalate_overdue_items() == 1
    assert escalate_overdue_items() == 0


def test_done_work_is_sent_back_then_accepted_with_a_rating(
    item, owner, organiser, member, outsider
):
    assert code_of(lambda: services.accept_action(item, actor=organiser, quality=4)) == "not_done"
    minutes_services.update_action(item, actor=owner, state="done", completion_note="方案已报")
    item = fresh(item, organiser)
    for persona in (owner, member, outsider):
        assert (
            code_of(lambda p=persona: services.accept_action(item, actor=p, quality=4))
            == "forbidden"
        )
    assert (
        code_of(lambda: services.return_action(item, actor=organiser, reason=""))
        == "reason_required"
    )

    returned = services.return_action(item, actor=organiser, reason="缺少测算依据")
    assert returned.decision == ReviewDecision.RETURNED
    item.refresh_from_db()
    assert (item.state, item.completed_at) == (ActionState.IN_PROGRESS, None)
    told = OutboxMessage.objects.filter(event="followup.reviewed", user=owner)
    assert set(told.values_list("channel", flat=True)) == {"inapp", "email"}

    minutes_services.update_action(item, actor=owner, state="done", completion_note="补充了测算")
    item = fresh(item, organiser)
    assert (
        code_of(lambda: services.accept_action(item, actor=organiser, quality=6))
        == "invalid_quality"
    )
    review = services.accept_action(
        item, actor=organiser, quality=4, practice_note="已纳入年度预算"
    )
    assert (review.quality, review.on_time, review.practice_note) == (4, True, "已纳入年度预算")
    assert (
        code_of(lambda: services.accept_action(item, actor=organiser, quality=5))
        == "already_accepted"
    )
    assert (
        code_of(lambda: services.return_action(item, actor=organiser, reason="再改"))
        == "already_accepted"
    )
    assert fresh(item, organiser).accepted is True
    assert Review.objects.filter(action=item).count() == 2


def test_late_work_is_rated_not_on_time(make_item, owner, organiser):
    late = make_item(due_in=-2)
    minutes_services.update_action(late, actor=owner, state="done", completion_note="完成")
    review = services.accept_action(fresh(late, organiser), actor=organiser, quality=3)
    assert review.on_time is False


def test_the_instructing_leader_accepts_and_answers_for_items_from_their_instruction(
    item, owner, make_user, meeting
):
    from meetops.reports.models import Instruction, SummaryReport

    instructing = make_user("instructing", roles=("leader",))
    report = SummaryReport.objects.create(meeting=meeting, title="报告")
    Instruction.objects.create(
        report=report, leader=instructing, number=1, text="抓紧", action=item
    )
    minutes_services.update_action(item, actor=owner, state="done", completion_note="完成")
    item = fresh(item, instructing)
    assert services.accept_action(item, actor=instructing, quality=5).quality == 5


def test_cooperating_departments_see_it_on_their_board_and_comment(
    item, organiser, departments, make_user, owner
):
    from meetops.followup.selectors import items_for

    colleague = make_user("colleague", department=departments["it"])
    assert not items_for(colleague).filter(pk=item.pk).exists()
    assert code_of(lambda: services.add_comment(item, actor=colleague, note="?")) == "forbidden"
    services.set_cooperating_departments(item, actor=organiser, departments=[departments["it"]])
    assert items_for(colleague).filter(pk=item.pk).exists()
    seen = fresh(item, colleague)
    assert services.add_comment(seen, actor=colleague, note="网络配合已就绪").author == colleague
    assert (
        code_of(lambda: services.set_cooperating_departments(item, actor=owner, departments=[]))
        == "forbidden"
    )


def test_a_cancelled_or_closed_meeting_freezes_the_follow_up(item, owner, meeting, organiser):
    from meetops.meetings.models import Meeting

    Meeting.objects.filter(pk=meeting.pk).update(stage="closed")
    item = fresh(item, organiser)
    assert (
        code_of(lambda: services.post_progress(item, actor=owner, percent=5, note="x"))
        == "meeting_frozen"
    )


def test_messages_speak_the_recipients_language(item, owner, leader, organiser):
    leader.language = "zh-hant"
    leader.save(update_fields=["language"])
    services.raise_escalation(
        item, actor=owner, kind="decision", text_="需要拍板", leaders=[leader]
    )
    mail = OutboxMessage.objects.get(event="followup.escalated", user=leader, channel="email")
    assert mail.subject == "問題上報：拿出差旅预算方案"
    assert "需要決策" in mail.body and "需要拍板" in mail.body
    assert f"/followup/actions/{item.pk}/" in mail.body
