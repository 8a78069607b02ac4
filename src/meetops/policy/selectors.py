from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from meetops.core.errors import NotFound
from meetops.core.schemas import MAX_DB_ID
from meetops.meetings.models import Meeting, MeetingRole, Participant, Stage, frozen_q
from meetops.meetings.permissions import can_complete_step, can_manage_meeting
from meetops.meetings.selectors import managed_by, meetings_of
from meetops.people.models import User
from meetops.policy import rules
from meetops.policy.models import Completion, MeetingStep, StepStatus, in_process_order
from meetops.policy.services import effective_status


def steps_of(meeting: Meeting) -> QuerySet[MeetingStep]:
    return in_process_order(meeting.steps.select_related("completed_by"))


def get_step(meeting: Meeting, step_id: int) -> MeetingStep:
    if not 0 < step_id <= MAX_DB_ID:
        raise NotFound()
    step = meeting.steps.select_related("meeting").filter(pk=step_id).first()
    if step is None:
        raise NotFound()
    return step


def open_tasks_for(user: User) -> QuerySet[MeetingStep]:
    """Open steps of the current stage on the user's live meetings that are theirs to do.

    Only steps a person signs off: automatic ones complete from evidence (and
    judging that evidence row by row would cost queries per row). Theirs: the step's owner role is one of their roles on that meeting, or
    they manage the meeting (then every open step is theirs to chase).
    """
    mine = Participant.objects.filter(
        meeting=OuterRef("meeting"), user=user, role=OuterRef("owner_role")
    )
    managed = meetings_of(user).filter(managed_by(user)).values("pk")
    return (
        MeetingStep.objects.filter(
            status=StepStatus.OPEN, stage=F("meeting__stage"), completion=Completion.SIGN_OFF
        )
        .filter(meeting__in=meetings_of(user).values("pk"))
        .exclude(frozen_q("meeting__"))
        .filter(Q(Exists(mine)) | Q(meeting__in=managed))
        .select_related("meeting")
        .order_by("meeting__start", "meeting_id", "order", "id")
    )


@dataclass
class StageProgress:
    stage: str
    label: str
    steps: list[MeetingStep]
    state: str  # "past", "current" or "future"

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def finished(self) -> int:
        return sum(1 for s in self.steps if s.effective_status != StepStatus.OPEN)

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 100

    @property
    def open_required(self) -> int:
        return sum(1 for s in self.steps if s.required and s.effective_status == StepStatus.OPEN)


@dataclass
class ProcessOverview:
    stages: list[StageProgress] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.stages)

    @property
    def finished(self) -> int:
        return sum(s.finished for s in self.stages)

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 100


def process_overview(meeting: Meeting, user: User) -> ProcessOverview:
    """The meeting's steps by stage, each with its effective status and what this user may do."""
    manage = can_manage_meeting(user, meeting)
    by_stage: dict[str, list[MeetingStep]] = {}
    for step in steps_of(meeting):
        step.meeting = meeting  # the rules read the meeting; do not load it again per step
        step.effective_status = effective_status(step)
        rule = rules.get_rule(step.rule)
        step.rule_label = str(rule.label) if rule else ""
        step.can_complete = step.effective_status == StepStatus.OPEN and can_complete_step(
            user, meeting, step.owner_role
        )
        live = manage and not meeting.is_frozen
        step.can_waive = step.effective_status == StepStatus.OPEN and live
        step.can_reopen = step.status != StepStatus.OPEN and live
        by_stage.setdefault(step.stage, []).append(step)
    order: list[Stage] = [s for s in Stage if s != Stage.CANCELLED]
    current = order.index(Stage(meeting.stage)) if meeting.stage in order else -1
    overview = ProcessOverview()
    for index, stage in enumerate(order):
        if stage not in by_stage:
            continue
        state = "past" if index < current else "current" if index == current else "future"
        overview.stages.append(StageProgress(str(stage), str(stage.label), by_stage[stage], state))
    return overview


@dataclass
class NowStep:
    """An open required step of the meeting's current stage, with who is to do it."""

    step: MeetingStep
    owners: list[str]  # the people holding the step's owner role, in name order
    role: str  # the owner role, for people who hold none yet


def needs_doing_now(
    meeting: Meeting, user: User, *, overview: ProcessOverview | None = None
) -> list[NowStep]:
    """What the meeting needs now: the open required steps of its current stage, in process
    order, each with its owners; each step says what `user` may do (`can_complete`, ...).

    Nothing on a frozen (closed or cancelled) meeting. Pass the page's `overview` to judge
    the evidence once."""
    if meeting.is_frozen:
        return []
    overview = overview or process_overview(meeting, user)
    current = next((s for s in overview.stages if s.state == "current"), None)
    open_steps = [
        s
        for s in (current.steps if current else [])
        if s.required and s.effective_status == StepStatus.OPEN
    ]
    if not open_steps:
        return []
    holders: dict[str, list[str]] = {}
    for p in meeting.participants.select_related("user", "contact").order_by(
        "name_pinyin", "name_strokes", "id"
    ):
        for role in (p.role, *p.extra_roles):
            holders.setdefault(role, []).append(p.display_name)
    return [
        NowStep(
            step,
            holders.get(step.owner_role, []),
            str(MeetingRole(step.owner_role).label)
            if step.owner_role in MeetingRole.values
            else step.owner_role,
        )
        for step in open_steps
    ]
