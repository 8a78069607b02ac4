"""Demo meetings: thirteen meetings in every stage, taken there through the services.

The loader lives with the process (policy) rather than with meetings: walking a meeting
through its stages means signing off its steps, and meetings names no app above it.

Each meeting is created by its organiser, gets its people, and is walked stage
by stage: the steps of every stage it has passed are signed off (by the person
whose role owns the step) or, where the policy does not apply, waived; the
automatic steps complete from evidence. One meeting skipped a step with an
override, as happens when a meeting is called at short notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from meetops.core.demo import DemoContext, demo_loader, provide_evidence
from meetops.core.errors import DomainError
from meetops.meetings import services
from meetops.meetings.models import (
    Confidentiality,
    Format,
    Meeting,
    MeetingKind,
    MeetingRole,
    Stage,
)
from meetops.people.models import User
from meetops.policy import rules
from meetops.policy import services as process
from meetops.policy.models import Completion, MeetingStep, StepStatus

LIFECYCLE = [
    Stage.DRAFT,
    Stage.PREPARING,
    Stage.READY,
    Stage.IN_PROGRESS,
    Stage.CONCLUDED,
    Stage.FOLLOWING_UP,
    Stage.CLOSED,
]

NOTES = {
    "P2.2": "已预订行政楼三楼第一会议室，音响、投影、网络均已确认",
    "P2.3": "已按模板发出会议通知，参会回执已全部收回",
    "P2.4": "会议材料、纸笔、茶水已备齐",
    "P2.6": "会议预算已编制并经财务处审核",
    "P2.7": "已在校园网和公众号发布会议预告",
    "P2.8": "详细日程已编排并随通知下发",
    "P2.9": "应急预案已制定：备用会场、备用投影设备、医疗联络人",
    "P5.1": "已识别场地、设备故障、人员缺席三类风险并明确应对措施",
    "P2.10": "会前检查完毕：场地、设备、材料、人员均已就绪",
    "P3.1": "签到台已设置，签到表已准备",
    "P3.2": "座次表已排定，工作人员引导入座",
    "P3.3": "议程、讲话稿和会议材料已摆放到位",
    "P3.6": "音响、投影、网络测试正常",
    "P3.7": "会场安全检查完成",
    "P3.4": "议程按时推进",
    "P3.5": "发言均控制在规定时间内",
    "P3.10": "主持人总结了会议成果，明确了行动计划",
    "P4.1": "会议材料已分类整理归档",
    "P4.2": "会议总结报告已完成",
    "P4.3": "已回收满意度问卷 28 份",
    "P4.4": "报告已报送领导，领导已批示，执行方案已形成",
    "P4.6": "费用已结算，凭证已公开",
    "P4.7": "剩余物资已回收入库",
    "P4.5": "行动计划已分解到责任部门和责任人",
    "P4.8": "经验教训已总结并在处务会上交流",
    "P4.10": "对照会议目标完成效果评估，到会率 96%",
    "P8.10": "已向校领导汇报跟进进展",
    "P7.9": "归档前完整性检查通过，已正式归档",
}
WAIVE_FOR_NON_PUBLIC = {"P2.7": "内部会议，无需对外宣传"}


@dataclass
class DemoMeeting:
    key: str
    title: str
    kind: str
    stage: Stage
    organiser: str
    days: int  # start, in days from today (negative: in the past)
    hour: float
    hours: float
    department: str
    confidentiality: str = Confidentiality.INTERNAL
    format: str = Format.ONSITE
    location: str = "行政楼三楼第一会议室"
    online_url: str = ""
    goals: str = ""
    expected: int | None = None
    # (username or contact key, meeting role, duties)
    people: list[tuple[str, str, str]] = field(default_factory=list)
    # clauses signed off in the stage the meeting is in now
    progress: list[str] = field(default_factory=list)
    # stage whose open steps were overridden when leaving it, and why
    override: tuple[str, str] | None = None
    cancelled_from: Stage | None = None
    cancel_reason: str = ""


MEETINGS = [
    DemoMeeting(
        "budget_kickoff",
        "2027年度部门预算编制布置会",
        "regular",
        Stage.DRAFT,
        "wangfang",
        days=12,
        hour=9,
        hours=2,
        department="finance",
        expected=30,
        people=[("xuming", MeetingRole.HOST, "主持会议，布置预算编制要求")],
    ),
    DemoMeeting(
        "teaching_quality",
        "2026学年教学质量分析会",
        "regular",
        Stage.DRAFT,
        "huanglei",
        days=16,
        hour=14.5,
        hours=2,
        department="academic",
        confidentiality=Confidentiality.PUBLIC,
        location="图书馆报告厅",
        goals="分析本学年教学质量数据，提出改进措施",
        expected=80,
    ),
    DemoMeeting(
        "digital_campus",
        "数字校园建设专家论证会",
        "conference",
        Stage.PREPARING,
        "wangfang",
        days=7,
        hour=14,
        hours=3,
        department="it",
        format=Format.HYBRID,
        location="信息中心二楼报告厅",
        online_url="https://meet.example.org/digital-campus",
        goals="论证数字校园三年建设方案的可行性，形成专家意见",
        expected=40,
        people=[
            ("liming", MeetingRole.HOST, "主持论证会"),
            ("expert.ma", MeetingRole.SPEAKER, "作专家点评，20 分钟"),
            ("heping", MeetingRole.SPEAKER, "汇报建设方案，30 分钟"),
            ("zhouqiang", MeetingRole.STAFF, "线上会议保障"),
            ("vendor.av", MeetingRole.STAFF, "音视频设备保障"),
            ("chenjing", MeetingRole.RECORDER, "记录专家意见"),
        ],
        progress=["P2.2", "P2.8"],
    ),
    DemoMeeting(
        "new_staff_training",
        "新入职教职工岗前培训",
        "training",
        Stage.PREPARING,
        "sunli",
        days=5,
        hour=9,
        hours=7,
        department="hr",
        confidentiality=Confidentiality.PUBLIC,
        location="教学楼 A101",
        goals="帮助新教职工了解学校制度、岗位职责与工作流程",
        expected=45,
        people=[
            ("gaoyan", MeetingRole.STAFF, "签到、材料发放"),
            ("zhangwei", MeetingRole.SPEAKER, "校情校史讲座"),
        ],
        progress=["P2.2", "P2.3", "P2.4"],
    ),
    DemoMeeting(
        "leadership_weekly",
        "校领导班子周例会",
        "leadership",
        Stage.READY,
        "wangfang",
        days=1,
        hour=8.5,
        hours=1.5,
        department="office",
        confidentiality=Confidentiality.CONFIDENTIAL,
        location="行政楼五楼小会议室",
        goals="研究本周重点工作，审议人才引进事项",
        expected=9,
        people=[
            ("zhangwei", MeetingRole.HOST, "主持会议"),
            ("liming", MeetingRole.PARTICIPANT, ""),
            ("xuming", MeetingRole.PARTICIPANT, ""),
            ("chenjing", MeetingRole.RECORDER, "会议记录"),
        ],
        override=(Stage.PREPARING, "临时召开的例会，应急预案沿用上周会议，领导同意简化"),
        progress=["P3.1"],
    ),
    DemoMeeting(
        "exam_coordination",
        "期末考试考务工作协调会",
        "video",
        Stage.IN_PROGRESS,
        "huanglei",
        days=0,
        hour=-0.5,
        hours=2,
        department="academic",
        confidentiality=Confidentiality.RESTRICTED,
        format=Format.ONLINE,
        location="",
        online_url="https://meet.example.org/exam-2026",
        goals="部署期末考试考务安排，明确监考与巡考职责",
        expected=25,
        people=[
            ("huanglei", MeetingRole.HOST, "主持会议"),
            ("linna", MeetingRole.RECORDER, "记录考务安排"),
            ("liuyang", MeetingRole.PARTICIPANT, ""),
            ("zhouqiang", MeetingRole.STAFF, "视频会议技术保障"),
        ],
        progress=["P3.1"],
    ),
    DemoMeeting(
        "finance_audit",
        "财务内控专项审计反馈会",
        "regular",
        Stage.CONCLUDED,
        "wangfang",
        days=-1,
        hour=15,
        hours=1.5,
        department="finance",
        confidentiality=Confidentiality.RESTRICTED,
        location="财务处会议室",
        goals="通报内控审计发现的问题，明确整改责任",
        expected=15,
        people=[
            ("xuming", MeetingRole.HOST, "主持会议，通报审计情况"),
            ("expert.qian", MeetingRole.SPEAKER, "解读内控规范"),
            ("zhengxue", MeetingRole.RECORDER, "记录整改事项"),
            ("wujie", MeetingRole.PARTICIPANT, ""),
        ],
        progress=["P4.1"],
    ),
    DemoMeeting(
        "network_upgrade",
        "校园网络升级改造方案评审会",
        "conference",
        Stage.CONCLUDED,
        "wangfang",
        days=-3,
        hour=9.5,
        hours=2.5,
        department="it",
        location="信息中心二楼报告厅",
        goals="评审网络升级改造方案，确定实施时间表",
        expected=20,
        people=[
            ("liming", MeetingRole.HOST, "主持评审"),
            ("zhouqiang", MeetingRole.SPEAKER, "汇报改造方案"),
            ("vendor.av", MeetingRole.OBSERVER, "列席，回答设备问题"),
            ("heping", MeetingRole.RECORDER, "记录评审意见"),
            ("chenjing", MeetingRole.STAFF, "会务"),
        ],
    ),
    DemoMeeting(
        "q3_review",
        "第三季度工作总结会",
        "regular",
        Stage.FOLLOWING_UP,
        "wangfang",
        days=-10,
        hour=14,
        hours=2,
        department="office",
        location="行政楼一楼报告厅",
        goals="总结第三季度工作，部署第四季度重点任务",
        expected=60,
        people=[
            ("zhangwei", MeetingRole.HOST, "主持会议并讲话"),
            ("liming", MeetingRole.SPEAKER, "汇报办公室工作"),
            ("xuming", MeetingRole.SPEAKER, "汇报财务工作"),
            ("chenjing", MeetingRole.RECORDER, "会议纪要"),
            ("liuyang", MeetingRole.PARTICIPANT, ""),
            ("zhaomin", MeetingRole.PARTICIPANT, ""),
        ],
        progress=["P4.5"],
    ),
    DemoMeeting(
        "recruitment",
        "2026年度人才招聘工作会议",
        "leadership",
        Stage.FOLLOWING_UP,
        "sunli",
        days=-14,
        hour=10,
        hours=2,
        department="hr",
        confidentiality=Confidentiality.CONFIDENTIAL,
        location="行政楼五楼小会议室",
        goals="审定年度招聘计划与岗位设置",
        expected=8,
        people=[
            ("zhangwei", MeetingRole.HOST, "主持会议"),
            ("gaoyan", MeetingRole.RECORDER, "会议记录"),
            ("xuming", MeetingRole.PARTICIPANT, "审核人员经费"),
        ],
    ),
    DemoMeeting(
        "archive_plan",
        "年度档案整理工作部署会",
        "regular",
        Stage.CLOSED,
        "wangfang",
        days=-40,
        hour=9,
        hours=1.5,
        department="office",
        location="档案室会议室",
        goals="部署年度档案整理与移交工作",
        expected=12,
        people=[
            ("liming", MeetingRole.HOST, "主持会议"),
            ("zhaomin", MeetingRole.SPEAKER, "讲解归档要求"),
            ("chenjing", MeetingRole.RECORDER, "会议纪要"),
        ],
    ),
    DemoMeeting(
        "city_visit",
        "市教育局来校调研座谈会",
        "external",
        Stage.CLOSED,
        "wangfang",
        days=-60,
        hour=14.5,
        hours=2,
        department="office",
        confidentiality=Confidentiality.PUBLIC,
        location="行政楼一楼贵宾室",
        goals="汇报学校办学情况，听取市教育局意见建议",
        expected=18,
        people=[
            ("zhangwei", MeetingRole.HOST, "主持座谈，汇报办学情况"),
            ("guest.city", MeetingRole.PARTICIPANT, "带队调研"),
            ("vendor.events", MeetingRole.STAFF, "会场布置与茶歇"),
            ("chenjing", MeetingRole.RECORDER, "会议纪要"),
            ("huanglei", MeetingRole.SPEAKER, "汇报教学工作"),
        ],
    ),
    DemoMeeting(
        "vendor_talks",
        "会务服务供应商洽谈会",
        "external",
        Stage.CANCELLED,
        "wangfang",
        days=9,
        hour=10,
        hours=1,
        department="office",
        location="行政楼三楼第二会议室",
        goals="洽谈年度会务服务合作",
        expected=6,
        people=[("vendor.events", MeetingRole.PARTICIPANT, "介绍服务方案")],
        cancelled_from=Stage.PREPARING,
        cancel_reason="供应商遴选改为公开招标，本次洽谈取消",
    ),
]


def _step_actor(meeting: Meeting, owner_role: str, organiser: User) -> User:
    """The person whose role owns the step signs it off; the organiser otherwise."""
    participant = (
        meeting.participants.filter(role=owner_role, user__isnull=False)
        .select_related("user")
        .first()
    )
    return participant.user if participant and participant.user else organiser


def _work_through(meeting: Meeting, organiser: User, *, clauses: list[str] | None = None) -> None:
    """Sign off the open steps of the meeting's current stage (only `clauses` if given)."""
    for step in meeting.steps.filter(stage=meeting.stage, status=StepStatus.OPEN).order_by(
        "order", "id"
    ):
        if clauses is not None and step.clause not in clauses:
            continue
        if step.completion == Completion.AUTOMATIC and _has_evidence(step, organiser):
            continue  # evidence completes it when the stage is left
        if (
            step.clause in WAIVE_FOR_NON_PUBLIC
            and meeting.confidentiality != Confidentiality.PUBLIC
        ):
            process.waive_step(step, actor=organiser, reason=WAIVE_FOR_NON_PUBLIC[step.clause])
            continue
        actor = _step_actor(meeting, step.owner_role, organiser)
        process.complete_step(step, actor=actor, note=NOTES.get(step.clause, "已完成"))


def _has_evidence(step: MeetingStep, organiser: User) -> bool:
    """Make the evidence the step's rule looks for; False when it cannot be made (a past slot)."""
    if rules.is_met(step.rule, step.meeting):
        return True
    try:
        with transaction.atomic():
            provide_evidence(step.rule, step.meeting, organiser)
    except DomainError:
        return False
    return rules.is_met(step.rule, step.meeting)


def _make_meeting(ctx: DemoContext, spec: DemoMeeting) -> Meeting:
    organiser = ctx.users[spec.organiser]
    day = timezone.localtime(ctx.now).replace(hour=0, minute=0) + timedelta(days=spec.days)
    if spec.days == 0:  # today's meeting runs now
        start = ctx.now + timedelta(hours=spec.hour)
    else:
        start = day + timedelta(hours=spec.hour)
    meeting = services.create_meeting(
        actor=organiser,
        title=spec.title,
        kind=MeetingKind.objects.get(code=spec.kind),
        start=start,
        end=start + timedelta(hours=spec.hours),
        goals=spec.goals,
        department=ctx.departments[spec.department],
        format=spec.format,
        location=spec.location,
        online_url=spec.online_url,
        confidentiality=spec.confidentiality,
        expected_attendance=spec.expected,
    )
    for key, role, duties in spec.people:
        person = {"user": ctx.users[key]} if key in ctx.users else {"contact": ctx.contacts[key]}
        services.add_participant(meeting, actor=organiser, role=role, duties=duties, **person)
    return meeting


def _advance(meeting: Meeting, spec: DemoMeeting, organiser: User) -> Meeting:
    target = spec.cancelled_from or spec.stage
    for stage in LIFECYCLE[: LIFECYCLE.index(target)]:
        overriding = spec.override is not None and spec.override[0] == stage
        if overriding:
            _work_through(
                meeting, organiser, clauses=[c for c in NOTES if c not in ("P2.9", "P2.10")]
            )
        else:
            _work_through(meeting, organiser)
        meeting = services.transition_meeting(
            meeting,
            to=services.FORWARD[stage],
            actor=organiser,
            override_reason=spec.override[1] if overriding and spec.override else "",
        )
    if spec.cancelled_from:
        return services.transition_meeting(
            meeting, to=Stage.CANCELLED, actor=organiser, reason=spec.cancel_reason
        )
    if spec.progress and meeting.stage != Stage.CLOSED:
        _work_through(meeting, organiser, clauses=spec.progress)
    return meeting


@demo_loader("meetings", order=50)
def load_meetings(ctx: DemoContext) -> None:
    for spec in MEETINGS:
        meeting = _make_meeting(ctx, spec)
        ctx.meetings[spec.key] = _advance(meeting, spec, ctx.users[spec.organiser])
    ctx.note(f"{len(MEETINGS)} meetings")
