"""Demo agendas: every demo meeting gets an agenda that fits its time, presented by its people.

Wiring (the lead): with the demo loader registry, call `add_demo_agenda(meeting, actor=organiser)`
right after a demo meeting is created and before it is walked through its stages: P2.8 now
completes from the agenda (`agenda.has_agenda`), so a meeting without one cannot leave
"preparing" without an override. `load_demo(ctx)` adds agendas to the meetings of a demo
context that have none and can still be changed.
"""

from __future__ import annotations

from typing import Any

from meetops.agenda import services
from meetops.agenda.models import AgendaItem
from meetops.agenda.schedule import Agenda
from meetops.core.demo import demo_evidence, demo_loader
from meetops.meetings.models import Meeting, MeetingRole
from meetops.people.models import User

# (title, share of the meeting's time, who presents: a meeting role or free text, public)
OUTLINE = [
    ("主持人宣布开会并说明议程", 0.10, MeetingRole.HOST, True),
    ("工作情况报告", 0.30, MeetingRole.SPEAKER, True),
    ("专题研究讨论", 0.35, "全体参会人员", False),
    ("形成会议决定，明确分工和时限", 0.15, MeetingRole.HOST, False),
    ("会议总结", 0.10, MeetingRole.HOST, True),
]


def _presenter(meeting: Meeting, who: str) -> dict[str, Any]:
    if who not in MeetingRole.values:
        return {"presenter": who}
    participant = meeting.participants.filter(role=who).order_by("id").first()
    if participant is None:
        participant = meeting.participants.filter(role=MeetingRole.ORGANISER).order_by("id").first()
    if participant is None:
        return {"presenter": ""}
    if participant.user_id:
        return {"presenter_user_id": participant.user_id}
    return {"presenter_contact_id": participant.contact_id}


def demo_rows(meeting: Meeting) -> list[dict[str, Any]]:
    """Items whose durations add up to the meeting's length (whole minutes, at least 5 each)."""
    total = int((meeting.end - meeting.start).total_seconds() // 60)
    rows, used = [], 0
    for index, (title, share, who, public) in enumerate(OUTLINE):
        last = index == len(OUTLINE) - 1
        minutes = total - used if last else max(5, int(total * share) // 5 * 5)
        if minutes <= 0:
            break
        used += minutes
        rows.append(
            {
                "title": title,
                "duration_minutes": minutes,
                "is_public": public,
                "room": meeting.location[:200],
                **_presenter(meeting, who),
            }
        )
    return rows


def add_demo_agenda(meeting: Meeting, *, actor: User) -> Agenda:
    return services.replace_agenda(meeting, items=demo_rows(meeting), actor=actor)


@demo_evidence("agenda.has_agenda")
def agenda_for_demo(meeting: Meeting, actor: User) -> None:
    add_demo_agenda(meeting, actor=actor)


@demo_loader("agenda", order=60)
def load_demo(ctx: Any) -> None:
    """Add an agenda to each demo meeting (in `ctx.meetings`) that has none and is not frozen."""
    count = 0
    for meeting in ctx.meetings.values():
        if meeting.is_frozen or AgendaItem.objects.filter(meeting=meeting).exists():
            continue
        add_demo_agenda(meeting, actor=meeting.created_by)
        count += 1
    if hasattr(ctx, "note"):
        ctx.note(f"{count} agendas")
