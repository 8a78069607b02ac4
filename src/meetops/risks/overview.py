"""Risk management across meetings, for improving it (P5.10): what is feared, what happens, what drills show.

One year of the meetings a person may see, in a fixed number of aggregate
queries (never one per meeting): risks by category and level and how many of
them occurred, risk events by level with the latest severe ones, drills by
outcome, and the upcoming meetings that still carry a high or critical risk
with no response.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from meetops.meetings.models import frozen_q
from meetops.meetings.selectors import meetings_visible_to
from meetops.people.models import User
from meetops.risks.models import (
    SEVERE_LEVELS,
    Category,
    DrillOutcome,
    EmergencyDrill,
    Level,
    Risk,
    RiskEvent,
    RiskStatus,
)

LATEST = 10


@dataclass
class CategoryRow:
    code: str
    label: Any
    by_level: dict[str, int]
    total: int
    occurred: int

    @property
    def occurrence_rate(self) -> int:
        return round(100 * self.occurred / self.total) if self.total else 0


@dataclass
class RiskOverview:
    year: int
    meetings: int = 0
    categories: list[CategoryRow] = field(default_factory=list)
    events_by_level: dict[str, int] = field(default_factory=dict)
    severe_events: list[RiskEvent] = field(default_factory=list)
    drills_by_outcome: dict[str, int] = field(default_factory=dict)
    unanswered: list[Risk] = field(default_factory=list)

    @property
    def risks(self) -> int:
        return sum(row.total for row in self.categories)


def risk_overview(user: User, *, year: int) -> RiskOverview:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(datetime(year, 1, 1), time.min), tz)
    end = timezone.make_aware(datetime.combine(datetime(year + 1, 1, 1), time.min), tz)
    meetings = meetings_visible_to(user).filter(start__gte=start, start__lt=end).values("pk")
    overview = RiskOverview(year=year, meetings=meetings.count())

    counts: dict[tuple[str, str], int] = {}
    occurred: dict[str, int] = {}
    for row in (
        Risk.objects.filter(meeting__in=meetings)
        .values("category", "level")
        .annotate(n=Count("id"), happened=Count("id", filter=Q(status=RiskStatus.OCCURRED)))
    ):
        counts[(row["category"], row["level"])] = row["n"]
        occurred[row["category"]] = occurred.get(row["category"], 0) + row["happened"]
    for code, label in Category.choices:
        by_level = {lvl: counts.get((code, lvl), 0) for lvl in Level.values}
        if any(by_level.values()):
            overview.categories.append(
                CategoryRow(code, label, by_level, sum(by_level.values()), occurred.get(code, 0))
            )
    overview.categories.sort(key=lambda r: (-r.occurred, -r.total))

    events = RiskEvent.objects.filter(meeting__in=meetings)
    by_level = dict(events.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    overview.events_by_level = {lvl: by_level.get(lvl, 0) for lvl in Level.values}
    overview.severe_events = list(
        events.filter(level__in=SEVERE_LEVELS)
        .select_related("meeting", "risk")
        .order_by("-occurred_at", "-id")[:LATEST]
    )
    drills = dict(
        EmergencyDrill.objects.filter(meeting__in=meetings)
        .values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    overview.drills_by_outcome = {o: drills.get(o, 0) for o in DrillOutcome.values}
    overview.unanswered = list(
        Risk.objects.filter(
            meeting__in=meetings_visible_to(user)
            .filter(start__gte=timezone.now())
            .exclude(frozen_q())
            .values("pk"),
            level__in=SEVERE_LEVELS,
            status=RiskStatus.OPEN,
            response="",
        )
        .select_related("meeting", "owner")
        .order_by("meeting__start", "id")[:LATEST]
    )
    return overview
