"""People's and departments' follow-up performance over a period (P8.9, 年度考核).

For each person: items owned, done, done on time, late, the average acceptance rating, and
the items they cooperated on (someone else's item they reported progress or commented on).
For a department (and those below it): the same over the items it or its people own, and
cooperation as the items it was named a cooperating department on.

Counted in the database (annotations and one aggregate), never in Python loops, so a page
costs the same few queries for five people or five hundred. Who may read it is
`permissions.can_see_performance_of` / `can_see_department_performance`: the person, their
department head, leaders — never a ranking for everyone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from meetops.core.errors import ValidationFailed
from meetops.followup.models import ActionUpdate, Cooperation, Review, ReviewDecision
from meetops.followup.selectors import department_items
from meetops.minutes.models import ActionItem, ActionState
from meetops.people.models import Department, User
from meetops.people.selectors import by_name
from meetops.venues.services.spreadsheet import safe_cell

LIVE = (ActionState.OPEN, ActionState.IN_PROGRESS)
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both included. An item belongs to the period of its due date
    (or, without one, of the day it was created)."""

    start: date
    end: date

    @classmethod
    def of(cls, start: date | None, end: date | None, *, today: date | None = None) -> Period:
        """The period asked for; this calendar year when nothing is given."""
        today = today or timezone.localdate()
        start = start or date(today.year, 1, 1)
        end = end or date(start.year, 12, 31)
        if end < start or (end - start).days > MAX_DAYS:
            raise ValidationFailed(
                _("Choose a period of at most three years that ends after it starts."),
                "invalid_period",
                field="end",
            )
        return cls(start, end)

    def items(self, prefix: str = "") -> Q:
        due = f"{prefix}due_date"
        return Q(**{f"{due}__gte": self.start, f"{due}__lte": self.end}) | Q(
            **{
                f"{due}__isnull": True,
                f"{prefix}created_at__date__gte": self.start,
                f"{prefix}created_at__date__lte": self.end,
            }
        )


def item_conditions(today: date) -> dict[str, Q]:
    """The conditions counted, on ActionItem rows (cancelled items count for nothing); the
    follow-up review (process_review.py) counts the same "late"."""
    return {
        "owned": ~Q(state=ActionState.CANCELLED),
        "done": Q(state=ActionState.DONE),
        "on_time": Q(state=ActionState.DONE)
        & (Q(due_date__isnull=True) | Q(completed_at__date__lte=F("due_date"))),
        "late": Q(state=ActionState.DONE, completed_at__date__gt=F("due_date"))
        | Q(state__in=LIVE, due_date__lt=today),
    }


def _accepted_quality() -> Q:
    """Acceptance reviews of the item's current completion, with a rating."""
    return Q(
        decision=ReviewDecision.ACCEPTED,
        completed_at=F("action__completed_at"),
        quality__isnull=False,
    )


@dataclass
class Line:
    """One person's or department's figures over the period."""

    name: str
    owned: int
    done: int
    on_time: int
    late: int
    cooperated: int
    average_rating: float | None
    person_id: int | None = None
    department_id: int | None = None

    @property
    def on_time_rate(self) -> int | None:
        return round(100 * self.on_time / self.done) if self.done else None


def _count(qs: QuerySet[Any], group: str) -> Subquery:
    return Subquery(
        qs.order_by().values(group).annotate(n=Count("pk", distinct=True)).values("n")[:1],
        output_field=IntegerField(),
    )


def people_lines(people: QuerySet[User], period: Period) -> list[Line]:
    """One line per person of `people` (name order), in one query."""
    today = timezone.localdate()
    owned = ActionItem.objects.filter(period.items(), owner=OuterRef("pk"))
    annotations: dict[str, Any] = {
        name: Coalesce(_count(owned.filter(cond), "owner"), Value(0))
        for name, cond in item_conditions(today).items()
    }
    annotations["average_rating"] = Subquery(
        Review.objects.filter(_accepted_quality(), action__owner=OuterRef("pk"))
        .filter(period.items("action__"))
        .order_by()
        .values("action__owner")
        .annotate(a=Avg("quality"))
        .values("a")[:1],
        output_field=FloatField(),
    )
    annotations["cooperated"] = Coalesce(
        Subquery(
            ActionUpdate.objects.filter(author=OuterRef("pk"))
            .filter(period.items("action__"))
            .exclude(action__owner=OuterRef("pk"))
            .order_by()
            .values("author")
            .annotate(n=Count("action_id", distinct=True))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )
    rows = by_name(people.select_related(None)).annotate(**annotations)
    figures = ("owned", "done", "on_time", "late", "cooperated", "average_rating")
    lines = []
    for u in rows:
        got = {name: u.__dict__[name] for name in figures}  # the annotations above
        lines.append(
            Line(
                name=str(u),
                person_id=u.pk,
                owned=got["owned"],
                done=got["done"],
                on_time=got["on_time"],
                late=got["late"],
                cooperated=got["cooperated"],
                average_rating=_rounded(got["average_rating"]),
            )
        )
    return lines


def department_line(department: Department, period: Period) -> Line:
    """The department's figures (its subtree), in three queries."""
    today = timezone.localdate()
    items = department_items(department).filter(period.items())
    row = items.order_by().aggregate(
        **{
            name: Count("pk", filter=cond, distinct=True)
            for name, cond in item_conditions(today).items()
        }
    )
    rating = Review.objects.filter(_accepted_quality(), action__in=items.values("pk")).aggregate(
        a=Avg("quality")
    )["a"]
    cooperated = (
        ActionItem.objects.filter(period.items())
        .filter(
            Exists(
                Cooperation.objects.filter(
                    action=OuterRef("pk"), department__path__startswith=department.path
                )
            )
        )
        .exclude(pk__in=items.values("pk"))
        .count()
    )
    return Line(
        name=department.name,
        department_id=department.pk,
        owned=row["owned"],
        done=row["done"],
        on_time=row["on_time"],
        late=row["late"],
        cooperated=cooperated,
        average_rating=_rounded(rating),
    )


def department_people(department: Department) -> QuerySet[User]:
    return User.objects.filter(is_active=True, department__path__startswith=department.path)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def xlsx(title: str, period: Period, lines: list[Line]) -> bytes:
    """The figures as a workbook for the annual appraisal (年度考核): one row per line."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = _("Performance")[:31]
    ws.append([safe_cell(title), f"{period.start.isoformat()} – {period.end.isoformat()}"])
    ws.append(
        [
            pgettext("person", "Name"),
            _("Items owned"),
            _("Done"),
            _("Done on time"),
            pgettext("action item", "Late"),
            _("On-time rate (%)"),
            _("Average acceptance rating"),
            _("Items cooperated on"),
        ]
    )
    for line in lines:
        ws.append(
            [
                safe_cell(line.name),
                line.owned,
                line.done,
                line.on_time,
                line.late,
                line.on_time_rate,
                line.average_rating,
                line.cooperated,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
