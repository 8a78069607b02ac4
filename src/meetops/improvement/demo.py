"""Demo lessons, measures and a published case.

The meetings loader asks for `improvement.lessons_recorded` evidence when it walks a
meeting through "following up" (P4.8): the organiser records a lesson. This loader then
adds lessons to two more meetings, two measures (one done and judged effective, one
overdue), and a case approved by a leader and shared at the new-staff training.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from meetops.core.demo import DemoContext, demo_evidence, demo_loader
from meetops.evaluation.models import Answer
from meetops.improvement import sources
from meetops.improvement.models import Case
from meetops.improvement.services import cases, lessons, measures
from meetops.meetings.models import Meeting
from meetops.people.models import User


@demo_evidence("improvement.lessons_recorded")
def lesson_for_demo(meeting: Meeting, actor: User) -> None:
    lessons.record_lesson(
        actor=actor,
        meeting=meeting,
        phase="preparation",
        category="process",
        effect="positive",
        what_happened="会前三天发出材料，与会人员准备充分，讨论效率高。",
        cause="提前确定了材料提交截止时间，并指定专人催收。",
    )


@demo_loader("improvement", order=90)
def load_improvement(ctx: DemoContext) -> None:
    wangfang, liming, chenjing = (ctx.users[k] for k in ("wangfang", "liming", "chenjing"))
    q3, network = ctx.meetings["q3_review"], ctx.meetings["network_upgrade"]
    today = ctx.now.date()
    projector = lessons.record_lesson(
        actor=wangfang,
        meeting=q3,
        phase="running",
        category="tech",
        effect="negative",
        what_happened="报告厅投影仪开场时无法投屏，会议推迟 15 分钟开始。",
        cause="为什么无法投屏？笔记本接口不兼容。为什么没发现？会前未联调。根因：会前检查清单没有“联调演示电脑”一项。",
        root_cause="会前未联调设备",
        source="会后复盘",
    )
    lessons.record_lesson(
        actor=wangfang,
        meeting=q3,
        phase="preparation",
        category="time",
        effect="negative",
        what_happened="部分部门汇报超时，最后两个议题被压缩。",
        cause="议程未给每个汇报设定时长，主持人缺少计时提醒。",
    )
    lessons.record_lesson(
        actor=wangfang,
        meeting=network,
        phase="running",
        category="tech",
        effect="negative",
        what_happened="线上参会专家的声音回声严重，影响评审讨论。",
        cause="会场扩音与线上会议共用麦克风，未开启回声消除。",
        root_cause="会前未联调设备",
    )
    lessons.record_lesson(
        actor=wangfang,
        meeting=network,
        phase="preparation",
        category="materials",
        effect="positive",
        what_happened="评审材料提前一周发给专家，意见质量高。",
    )
    done = measures.create_measure(
        actor=wangfang,
        meeting=q3,
        lessons=[projector],
        title="会前检查清单增加“演示电脑联调”",
        owner=chenjing,
        due_date=today - timedelta(days=20),
        expected_effect="不再因投屏故障推迟开会",
        proposes_process_change=True,
        process_change="在 P2.10 会前检查中增加“演示电脑与投影联调”必查项。",
    )
    measures.start_measure(done, actor=chenjing)
    measures.complete_measure(
        done,
        actor=chenjing,
        result_note="检查清单已更新，之后三次会议均在会前半小时完成联调。",
        evidence="办公室会务检查清单（2026 版）第 7 项",
    )
    measures.review_measure(
        done, actor=liming, effectiveness="effective", note="近三次会议未再发生投屏故障。"
    )
    measures.create_measure(
        actor=wangfang,
        meeting=q3,
        title="议程为每个汇报设定时长并安排计时提醒",
        owner=wangfang,
        owner_department=q3.department,
        due_date=today - timedelta(days=3),
        expected_effect="议题按时完成，不再压缩后续议题",
    )
    case = _published_case(
        wangfang,
        approver=liming,
        note="值得推广",
        meeting=q3,
        title="季度工作总结会：材料前置与计时提醒",
        summary="总结会提前三天收齐材料，汇报限时，会后一周内印发纪要。",
        success_factors="材料截止时间明确、专人催收；主持人按议程计时；会后即时复盘。",
        materials_note="会议方案与议程可直接复用。",
        tags="总结会, 议程管理, 会务",
    )
    training = ctx.meetings.get("new_staff_training")
    if training is not None:
        cases.link_sharing_session(case, actor=ctx.users["sunli"], meeting=training)
    _from_feedback()
    _published_case(
        wangfang,
        approver=liming,
        note="可在全校推广",
        title="兄弟院校：会议材料“无纸化”分发",
        summary="会议材料提前三天上传会务平台，参会人员扫码阅读，会上不再发放纸质材料。",
        success_factors="统一上传入口与截止时间；材料按议题编号；会场提供备用平板。",
        source="某大学党政办公室经验交流材料",
        source_url="https://example.edu.cn/practice/paperless",
        tags="无纸化, 会务",
    )
    ctx.note("lessons (one from a questionnaire), 2 improvement measures, 2 published cases")


def _published_case(author: User, *, approver: User, note: str, **case: Any) -> Case:
    """A case nominated and submitted by `author`, approved by `approver` (published)."""
    nominated = cases.nominate_case(actor=author, submit=True, **case)
    cases.decide_case(nominated, actor=approver, approve=True, note=note)
    return nominated


def _from_feedback() -> None:
    """P6.7: a problem raised in a questionnaire, recorded as a lesson in one step."""
    problem = (
        Answer.objects.filter(category="problem", question__kind="text")
        .select_related("question__survey__meeting__created_by")
        .order_by("id")
        .first()
    )
    if problem is None or problem.question.survey.meeting.created_by is None:
        return
    organiser = problem.question.survey.meeting.created_by
    lessons.record_lesson_from_source(
        sources.load(organiser, "survey_answer", problem.pk),
        actor=organiser,
        category="venue",
        cause="为什么温度偏低？空调按默认温度运行。为什么没调？会前检查未包括会场环境。",
        root_cause="会前未检查会场环境",
    )
