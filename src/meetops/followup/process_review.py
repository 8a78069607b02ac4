"""The periodic review of the follow-up process itself (P8.7), over a period (by default the
last calendar quarter), limited to the items the reader follows (`selectors.items_for`):

- overdue patterns by department and by kind of action (where it came from: a leader's
  instruction 批示, a decision in the minutes, or the action plan): items, late (done after
  the due date or still open past it, as the performance figures count it), overdue now;
- time to done: median and 90th percentile of the days from an item's creation to its
  completion;
- escalations that worked: the item was done within `within_days` days after the escalation,
  done later, not done, or too early to tell; by kind, and for overdue items by who heard;
- accepted on the first try: accepted items never sent back, of all accepted items.

Items belong to the period of their due date (or, without one, of their creation), like the
performance figures (`performance.Period`). A fixed number of queries, whatever the rows.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetops.followup.models import (
    Escalation,
    EscalationKind,
    EscalationStage,
    Review,
    ReviewDecision,
)
from meetops.followup.performance import LIVE, Period, item_conditions
from meetops.followup.selectors import items_for, rate
from meetops.minutes.models import ActionItem, ActionState
from meetops.people.models import Department, User

DEFAULT_WITHIN_DAYS = 14
MAX_WITHIN_DAYS = 90


class SourceKind:
    """Where an action item came from: its kind on the review. Codes are part of the API."""

    INSTRUCTION = "instruction"
    DECISION = "decision"
    PLAN = "plan"
    LABELS: dict[str, str | Promise] = {
        INSTRUCTION: _("Leader's instruction (批示)"),
        DECISION: _("Decision in the minutes"),
        PLAN: _("Action plan item"),
    }


def source_kind() -> Case:
    """The item's kind, in SQL: a leader's instruction first (it may also name a decision)."""
    return Case(
        When(instruction__isnull=False, then=Value(SourceKind.INSTRUCTION)),
        When(decision__isnull=False, then=Value(SourceKind.DECISION)),
        default=Value(SourceKind.PLAN),
        output_field=CharField(),
    )


def last_quarter(today: date) -> Period:
    """The calendar quarter before the one `today` is in."""
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = this_quarter - timedelta(days=1)
    return Period(date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end)


def review_period(start: date | None, end: date | None, *, today: date | None = None) -> Period:
    """The period asked for; the last quarter when neither end is given."""
    today = today or timezone.localdate()
    if start is None and end is None:
        return last_quarter(today)
    return Period.of(start, end or today, today=today)


@dataclass
class PatternLine:
    """Items of one department or kind over the period."""

    key: str
    label: str
    items: int
    late: int
    overdue_now: int
    accepted: int
    first_try: int

    @property
    def late_rate(self) -> int | None:
        return rate(self.late, self.items)

    @property
    def first_try_rate(self) -> int | None:
        return rate(self.first_try, self.accepted)


@dataclass
class EscalationLine:
    """Escalations of one kind (and, for overdue items, one stage)."""

    kind: str
    stage: str
    label: str
    total: int
    worked: int
    done_later: int
    too_early: int

    @property
    def not_done(self) -> int:
        return self.total - self.worked - self.done_later - self.too_early

    @property
    def worked_rate(self) -> int | None:
        """Worked, of those that can be judged (not too early to tell)."""
        return rate(self.worked, self.total - self.too_early)


@dataclass
class FollowupReview:
    period: Period
    within_days: int
    totals: PatternLine
    departments: list[PatternLine] = field(default_factory=list)
    kinds: list[PatternLine] = field(default_factory=list)
    done: int = 0
    median_days: float | None = None
    p90_days: int | None = None
    escalations: list[EscalationLine] = field(default_factory=list)

    @property
    def escalation_totals(self) -> EscalationLine:
        lines = self.escalations
        return EscalationLine(
            "",
            "",
            "",
            sum(x.total for x in lines),
            sum(x.worked for x in lines),
            sum(x.done_later for x in lines),
            sum(x.too_early for x in lines),
        )


def _pattern_counts(today: date) -> dict[str, Any]:
    accepted = Review.objects.filter(
        action=OuterRef("pk"),
        decision=ReviewDecision.ACCEPTED,
        completed_at=OuterRef("completed_at"),
    )
    returned = Review.objects.filter(action=OuterRef("pk"), decision=ReviewDecision.RETURNED)
    done_accepted = Q(state=ActionState.DONE) & Q(Exists(accepted))
    return {
        "items": Count("pk"),
        "late": Count("pk", filter=item_conditions(today)["late"]),
        "overdue_now": Count("pk", filter=Q(state__in=LIVE, due_date__lt=today)),
        "accepted": Count("pk", filter=done_accepted),
        "first_try": Count("pk", filter=done_accepted & ~Q(Exists(returned))),
    }


def _line(key: str, label: str, row: Mapping[str, Any]) -> PatternLine:
    return PatternLine(
        key,
        label,
        row["items"],
        row["late"],
        row["overdue_now"],
        row["accepted"],
        row["first_try"],
    )


def _percentile(days: list[int], share: float) -> int | None:
    """Nearest-rank percentile of sorted whole days."""
    if not days:
        return None
    return days[max(0, math.ceil(share * len(days)) - 1)]


def _escalations(items: QuerySet[ActionItem], within: int, now: Any) -> list[EscalationLine]:
    window_end = F("created_at") + timedelta(days=within)
    done = Q(action__state=ActionState.DONE, action__completed_at__gte=F("created_at"))
    rows = (
        Escalation.objects.filter(action__in=items.values("pk"))
        .order_by()
        .values("kind", "stage")
        .annotate(
            total=Count("pk"),
            worked=Count("pk", filter=done & Q(action__completed_at__lte=window_end)),
            done_later=Count("pk", filter=done & Q(action__completed_at__gt=window_end)),
            too_early=Count("pk", filter=~done & Q(created_at__gt=now - timedelta(days=within))),
        )
    )
    kinds = dict(EscalationKind.choices)
    stages = dict(EscalationStage.choices)
    lines = []
    for r in rows:
        overdue = r["kind"] == EscalationKind.OVERDUE
        label = str(kinds.get(r["kind"], r["kind"]))
        if overdue:
            label = f"{label} → {stages.get(r['stage'], r['stage'])}"
        lines.append(
            EscalationLine(
                r["kind"],
                r["stage"] if overdue else "",
                label,
                r["total"],
                r["worked"],
                r["done_later"],
                r["too_early"],
            )
        )
    order = list(kinds)
    lines.sort(key=lambda x: (order.index(x.kind) if x.kind in order else 99, x.stage))
    return lines


def followup_review(
    user: User, period: Period, *, within_days: int = DEFAULT_WITHIN_DAYS
) -> FollowupReview:
    """The review's figures for the items `user` follows, in six queries."""
    today = timezone.localdate()
    items = items_for(user).filter(period.items()).exclude(state=ActionState.CANCELLED).order_by()
    counts = _pattern_counts(today)
    totals = _line("", "", items.aggregate(**counts))
    by_dept = list(
        items.annotate(dept=Coalesce("department_id", "owner__department_id"))
        .values("dept")
        .annotate(**counts)
    )
    names = dict(
        Department.objects.filter(pk__in=[r["dept"] for r in by_dept if r["dept"]]).values_list(
            "pk", "name"
        )
    )
    departments = [
        _line(str(r["dept"] or ""), names.get(r["dept"], "") if r["dept"] else "", r)
        for r in by_dept
    ]
    departments.sort(key=lambda d: (-d.late, d.label == "", d.label))
    by_kind = items.annotate(source=source_kind()).values("source").annotate(**counts)
    kinds = [_line(r["source"], str(SourceKind.LABELS[r["source"]]), r) for r in by_kind]
    kinds.sort(key=lambda k: list(SourceKind.LABELS).index(k.key))
    days = sorted(
        (timezone.localdate(done) - timezone.localdate(created)).days
        for created, done in items.filter(
            state=ActionState.DONE, completed_at__isnull=False
        ).values_list("created_at", "completed_at")
    )
    return FollowupReview(
        period=period,
        within_days=within_days,
        totals=totals,
        departments=departments,
        kinds=kinds,
        done=len(days),
        median_days=float(statistics.median(days)) if days else None,
        p90_days=_percentile(days, 0.9),
        escalations=_escalations(items, within_days, timezone.now()),
    )
