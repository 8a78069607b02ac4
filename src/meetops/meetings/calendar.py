"""The calendar page's grid: which days to show and which meetings fall on each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from meetops.meetings.models import Meeting
from meetops.meetings.selectors import meetings_in_range
from meetops.people.models import User

MAX_SPAN_DAYS = 42  # a meeting is drawn on at most the days of one grid


@dataclass(frozen=True)
class View:
    kind: str  # "month" or "week"
    day: date

    @classmethod
    def parse(cls, kind: str | None, day: str | None) -> View:
        try:
            parsed = date.fromisoformat(day or "")
        except ValueError:
            parsed = timezone.localdate()
        return cls("week" if kind == "week" else "month", parsed)

    @property
    def first(self) -> date:
        if self.kind == "week":
            return self.day - timedelta(days=self.day.weekday())
        start = self.day.replace(day=1)
        return start - timedelta(days=start.weekday())

    @property
    def days(self) -> int:
        if self.kind == "week":
            return 7
        next_month = (self.day.replace(day=28) + timedelta(days=4)).replace(day=1)
        last = next_month - timedelta(days=1)
        return ((last - self.first).days // 7 + 1) * 7

    @property
    def previous(self) -> date:
        if self.kind == "week":
            return self.day - timedelta(days=7)
        return (self.day.replace(day=1) - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        if self.kind == "week":
            return self.day + timedelta(days=7)
        return (self.day.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass
class Day:
    date: date
    in_month: bool
    today: bool
    meetings: list[Meeting] = field(default_factory=list)


@dataclass
class Calendar:
    view: View
    days: list[Day]

    @property
    def weeks(self) -> list[list[Day]]:
        return [self.days[i : i + 7] for i in range(0, len(self.days), 7)]

    @property
    def busy_days(self) -> list[Day]:
        return [d for d in self.days if d.meetings and (d.in_month or self.view.kind == "week")]

    @property
    def weekdays(self) -> list[date]:
        return [d.date for d in self.days[:7]]


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def build(user: User, view: View) -> Calendar:
    """The grid of days for the view, each holding the visible meetings that touch it."""
    today = timezone.localdate()
    days = [
        Day(d, view.kind == "week" or d.month == view.day.month, d == today)
        for d in (view.first + timedelta(days=i) for i in range(view.days))
    ]
    index = {d.date: d for d in days}
    start, end = _local_midnight(days[0].date), _local_midnight(days[-1].date + timedelta(days=1))
    for meeting in meetings_in_range(user, start, end):
        first = timezone.localtime(meeting.start).date()
        last = timezone.localtime(meeting.end - timedelta(microseconds=1)).date()
        for offset in range(min((last - first).days + 1, MAX_SPAN_DAYS)):
            day = index.get(first + timedelta(days=offset))
            if day is not None:
                day.meetings.append(meeting)
    return Calendar(view, days)
