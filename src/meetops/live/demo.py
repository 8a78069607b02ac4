"""Demo of the room: timings for past meetings (P3.4/P3.5 evidence), tickets and questions for one.

The meetings loader asks for `live.items_timed` evidence while it walks a past
meeting out of "in progress": the organiser presses "next" through the agenda at
the meeting's own times, some speakers running over. The third-quarter review
also gets two resolved support tickets and questions from the floor, written
during the same walk.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meetops.agenda.models import AgendaItem
from meetops.core.demo import DemoContext, demo_evidence, demo_loader
from meetops.core.errors import DomainError
from meetops.live import services
from meetops.live.models import LiveSession, Question, SupportTicket
from meetops.meetings.models import Meeting, Stage
from meetops.people.models import User
from meetops.policy.demo import MEETINGS

# Minutes each item runs over (+) or under (-) its plan, in turn.
DRIFT = [3, -2, 5, 0, 1]


@demo_evidence("live.items_timed")
def timings_for_demo(meeting: Meeting, actor: User) -> None:
    items = list(meeting.agenda_items.order_by("order", "id"))
    if not items or LiveSession.objects.filter(meeting=meeting).exists():
        raise DomainError("no agenda to time", "demo_no_agenda")
    at = meeting.start + timedelta(minutes=2)
    for n, item in enumerate(items):
        services.next_item(meeting, actor=actor, at=at)
        at += timedelta(minutes=max(1, item.duration_minutes + DRIFT[n % len(DRIFT)]))
    services.end_meeting(meeting, actor=actor, at=at)
    if meeting.title == ROOM_DEMO_TITLE:
        _room_for_demo(meeting, actor, items)


# The meeting that also gets support tickets and questions: written while it is walked
# through "in progress", so its audit entries sit where the meeting's own do.
ROOM_DEMO_TITLE = next(m.title for m in MEETINGS if m.key == "q3_review")


def _room_for_demo(meeting: Meeting, organiser: User, items: list[AgendaItem]) -> None:
    people = {
        u.username: u for u in User.objects.filter(username__in=["zhangwei", "liuyang", "zhaomin"])
    }
    host, asker, voter = people["zhangwei"], people["liuyang"], people["zhaomin"]
    for minutes, category, note, fix in (
        (6, "sound", "二号话筒没有声音", "更换电池"),
        (41, "projection", "投影画面偏色", "重新连接 HDMI 线并调整色温"),
    ):
        ticket = services.report_problem(meeting, actor=asker, category=category, note=note)
        services.acknowledge_ticket(ticket, actor=organiser)
        services.resolve_ticket(ticket, actor=organiser, resolution=fix)
        # The services stamp "now"; the demo's meeting was ten days ago.
        at = meeting.start + timedelta(minutes=minutes)
        SupportTicket.objects.filter(pk=ticket.pk).update(
            reported_at=at,
            acknowledged_at=at + timedelta(minutes=1),
            resolved_at=at + timedelta(minutes=4),
        )
    for n, (text, anonymous) in enumerate(
        (("第四季度重点任务的牵头部门如何确定？", False), ("差旅预算能否提前下达？", True))
    ):
        question = services.ask_question(
            meeting,
            actor=asker,
            text=text,
            anonymous=anonymous,
            item=items[min(n, len(items) - 1)] if items else None,
        )
        services.vote_question(question, actor=voter)
        services.mark_answered(question, actor=host)
        Question.objects.filter(pk=question.pk).update(
            created_at=meeting.start + timedelta(minutes=30 + n * 20),
            answered_at=meeting.start + timedelta(minutes=35 + n * 20),
        )


@demo_loader("live", order=75)
def run_the_meeting_in_progress(ctx: DemoContext) -> None:
    """The demo's meeting in progress is in the room now: the host has pressed "next" through
    the items whose time has come, and the current one is running (never ended: it has not)."""
    now = timezone.now()
    for meeting in ctx.meetings.values():
        if meeting.stage != Stage.IN_PROGRESS or LiveSession.objects.filter(meeting=meeting):
            continue
        host = meeting.created_by
        if host is None:
            continue
        at = meeting.start + timedelta(minutes=2)
        for item in meeting.agenda_items.order_by("order", "id"):
            if at > now:
                break
            services.next_item(meeting, actor=host, at=at)
            at += timedelta(minutes=item.duration_minutes)
