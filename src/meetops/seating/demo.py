"""The seating's part of the demo: P3.2 evidence while meetings are walked through, and the big upcoming meeting's plan.

The meetings loader asks for `seating.all_required_seated` evidence as a meeting
leaves "ready": the organiser makes a plan from the booked room and seats
everyone by protocol order (online meetings have no seats: the step is signed
off instead). After the invitations loader has filled the upcoming meetings,
the largest one gets a plan with a rostrum in protocol order (副校长 in the
centre), two seats reserved for the press, and everyone else seated.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from meetops.core.demo import DemoContext, demo_evidence, demo_loader
from meetops.core.errors import DomainError
from meetops.meetings.models import Format, Meeting, Stage
from meetops.seating import services
from meetops.seating.models import SeatPlan
from meetops.seating.selectors import ROLE_PRIORITY

# The rostrum of the big meeting, rank 1 first (usernames).
RANKS = ["zhangwei", "liming", "xuming", "expert.ma", "heping"]


@demo_evidence("seating.all_required_seated")
def seat_for_demo(meeting: Meeting, actor: Any) -> None:
    if meeting.format == Format.ONLINE:
        raise DomainError("online meeting", "no_seats")
    plan = SeatPlan.objects.filter(meeting=meeting).first() or services.create_plan(
        meeting, actor=actor
    )
    plan.meeting = meeting
    services.auto_assign(plan, actor=actor)


def _the_big_meeting(ctx: DemoContext) -> Meeting | None:
    upcoming = (
        Meeting.objects.filter(
            start__gt=ctx.now,
            stage__in=[Stage.PREPARING, Stage.READY],
            format__in=["onsite", "hybrid"],
        )
        .annotate(people=Count("participants"))
        .order_by("-people", "start")
    )
    return upcoming.first()


@demo_loader("seating", order=80)
def load_seating(ctx: DemoContext) -> None:
    meeting = _the_big_meeting(ctx)
    if meeting is None or meeting.created_by is None:
        return
    actor = meeting.created_by
    plan = SeatPlan.objects.filter(meeting=meeting).first() or services.create_plan(
        meeting, actor=actor
    )
    plan.meeting = meeting
    ranked = []
    for key in RANKS:
        who = {"user": ctx.users[key]} if key in ctx.users else {"contact": ctx.contacts.get(key)}
        rows = sorted(
            meeting.participants.filter(**who), key=lambda p: ROLE_PRIORITY.get(p.role, 9)
        )
        found = rows[0] if rows else None
        if found is not None and found.pk not in ranked:
            ranked.append(found.pk)
    services.set_precedence(plan, actor=actor, participant_ids=ranked)
    size = services.GridSize(
        1, max(plan.rostrum_seats, len(ranked)), plan.rows, plan.columns, tuple(plan.aisle_columns)
    )
    press = [
        services.CellSpec("audience", 1, col, reserved=True, note="媒体")
        for col in (1, plan.columns)
    ]
    services.update_layout(plan, actor=actor, size=size, cells=press)
    result = services.auto_assign(plan, actor=actor, keep_manual=False)
    ctx.note(f"seat plan for {meeting.title}: {result.assigned} seated")
