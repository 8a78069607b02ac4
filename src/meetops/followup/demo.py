"""Demo follow-up (P8.x): on the first meeting being followed up, items with progress reports and
comments, an extended due date, cooperating departments, one problem reported to a leader and
answered, overdue items escalated automatically (one to the organisers, one of a department with
a head to its head first, ADR 0022), and one finished item accepted with a rating; then a change
of the follow-up rules proposed by the organiser and adopted by the administrator (P8.7)."""

from __future__ import annotations

from datetime import timedelta

from meetops.core.demo import DemoContext, demo_loader
from meetops.followup import services
from meetops.meetings.models import Meeting, Stage
from meetops.minutes import services as minutes_services
from meetops.minutes.models import ActionItem, ActionState
from meetops.people.models import Department


@demo_loader("followup", order=90)
def load_followup(ctx: DemoContext) -> None:
    meeting = Meeting.objects.filter(stage=Stage.FOLLOWING_UP).order_by("pk").first()
    users = ctx.users
    if meeting is None or not {
        "wangfang",
        "liming",
        "liuyang",
        "zhouqiang",
        "gaoyan",
        "wujie",
    } <= set(users):
        return
    organiser, leader = users["wangfang"], users["liming"]
    today = ctx.now.date()
    departments = {d.name: d for d in Department.objects.all()}

    def add(title: str, owner: str, due_in: int, department: str) -> ActionItem:
        return minutes_services.create_action(
            meeting,
            actor=organiser,
            title=title,
            owner=users[owner],
            department=departments.get(department),
            due_date=today + timedelta(days=due_in),
        )

    rules = add("修订教学质量评价办法", "liuyang", 10, "教务处")
    services.post_progress(
        rules, actor=users["liuyang"], percent=60, note="已完成初稿，正在征求各学院意见。"
    )
    services.add_comment(rules, actor=organiser, note="请在征求意见稿中补充学生评教的权重说明。")
    services.change_due_date(
        rules,
        actor=organiser,
        due_date=today + timedelta(days=17),
        reason="需等待学院反馈，顺延一周。",
    )
    if "办公室" in departments:
        services.set_cooperating_departments(
            rules, actor=organiser, departments=[departments["办公室"]]
        )

    network = add("完成校园网出口带宽扩容", "zhouqiang", -5, "网络科")
    services.post_progress(
        network, actor=users["zhouqiang"], percent=40, note="设备已到货，等待机房停机窗口。"
    )
    accounts = add("核对上半年经费决算", "wujie", -4, "核算科")
    services.post_progress(
        accounts, actor=users["wujie"], percent=50, note="凭证已整理完毕，正在逐项核对。"
    )
    # The network section has no head: to the organiser; the accounts section's head is up the
    # tree (财务处, 徐明): to him first.
    services.escalate_overdue(today=today, after_days=3)

    training = add("编制下学期培训计划", "gaoyan", 20, "培训科")
    services.post_progress(
        training, actor=users["gaoyan"], percent=30, note="已收集各部门培训需求。"
    )
    escalation = services.raise_escalation(
        training,
        actor=users["gaoyan"],
        kind="resources",
        text_="外聘讲师费用超出年度培训预算，需要追加经费。",
        leaders=[leader],
    )
    services.answer_escalation(
        escalation, actor=leader, answer="同意从学校发展基金中追加两万元，由人事处统筹使用。"
    )

    finished = (
        meeting.action_items.filter(state=ActionState.OPEN, owner__isnull=False)
        .exclude(pk__in=[rules.pk, network.pk, training.pk])
        .first()
    )
    if finished is not None and finished.owner is not None:
        services.post_progress(
            finished, actor=finished.owner, percent=100, note="各项决定已分解落实到科室。"
        )
        done = minutes_services.update_action(
            finished,
            actor=finished.owner,
            state=ActionState.DONE,
            completion_note="已全部落实，详见工作台账。",
        )
        services.accept_action(
            done,
            actor=organiser,
            quality=4,
            practice_note="形成了季度工作台账制度，已在各部门推行。",
        )
    _rules_change(ctx)
    ctx.note(f"followup: 5 action items followed up on {meeting.title}; follow-up rules v1")


def _rules_change(ctx: DemoContext) -> None:
    """The organiser proposes escalating to the heads a day earlier; the administrator adopts."""
    users = ctx.users
    if not {"wangfang", "admin"} <= set(users):
        return
    proposal = services.propose_rules_change(
        actor=users["wangfang"],
        values={
            "remind_before_days": 2,
            "overdue_every_days": 1,
            "escalate_after_days": 2,
            "escalate_leaders_after_days": 5,
            "accepted_by": "managers",
        },
        reason="上季度逾期事项多在到期后两三天内才被发现：提前一天提醒，逾期两天即报部门负责人。",
    )
    services.decide_rules_proposal(
        proposal, actor=users["admin"], approve=True, comment="同意，自即日起执行。"
    )
