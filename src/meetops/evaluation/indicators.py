"""Actual against expected (P6.1, P6.5, P4.10): each indicator computed from the meeting's own data.

- attendance: live sign-ins of people on the list against those expected (attendance app);
- people reached: distinct people who signed in (walk-ins too), opened one of the meeting's
  announcements or registered after it (promotion.selectors.people_reached, P2.7), against
  the target, by default the expected attendance written in the plan;
- departments reached: distinct departments/companies of those who signed in;
- satisfaction: mean of the satisfaction ratings against the target;
- response rate: answers against people asked;
- budget: actual spending against the plan (budget app), when there is a budget;
- agenda: planned item durations against the meeting's scheduled time.

Decisions and action items (P6.4) are reported alongside, without a target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from meetops.attendance.selectors import live_signins, summary
from meetops.budget.selectors import statement_of
from meetops.core.numbers import format_money
from meetops.evaluation.models import Evaluation
from meetops.evaluation.selectors import Results, results_of, survey_of
from meetops.meetings.models import Meeting
from meetops.minutes.models import ActionItem, ActionState, Decision
from meetops.promotion.selectors import people_reached


@dataclass
class Indicator:
    code: str
    label: str
    target: Any
    actual: Any
    met: bool | None  # None: no data yet
    unit: str = ""
    note: str = ""
    money: bool = False  # an amount of CNY: shown with ¥, grouped (core.numbers.format_money)

    def _display(self, value: Any) -> str:
        if value is None:
            return "—"
        return format_money(value) if self.money else f"{value}{self.unit}"

    @property
    def target_display(self) -> str:
        return self._display(self.target)

    @property
    def actual_display(self) -> str:
        return self._display(self.actual)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "target": None if self.target is None else str(self.target),
            "actual": None if self.actual is None else str(self.actual),
            "unit": self.unit,
            "met": self.met,
            "note": self.note,
        }


def _at_least(actual: Any, target: Any) -> bool | None:
    if actual is None or target is None:
        return None
    return bool(actual >= target)


def _attendance(meeting: Meeting, evaluation: Evaluation) -> list[Indicator]:
    counts = summary(meeting)
    rate = round(100 * counts.signed_in / counts.expected) if counts.expected else None
    reached = live_signins(meeting).aggregate(
        orgs=Count(
            "participant__organisation", distinct=True, filter=~Q(participant__organisation="")
        ),
    )
    keys = {
        f"u{user}" if user else (f"e{email.lower()}" if email else f"p{participant}")
        for user, email, participant in live_signins(meeting).values_list(
            "participant__user_id", "participant__email", "participant_id"
        )
    }
    count = len(keys | people_reached(meeting))
    people = count if count or rate is not None else None
    return [
        Indicator(
            "attendance",
            _("Attendance rate"),
            evaluation.target_attendance,
            rate,
            _at_least(rate, evaluation.target_attendance),
            "%",
            _("%(signed)s of %(expected)s expected signed in")
            % {"signed": counts.signed_in, "expected": counts.expected},
        ),
        Indicator(
            "reach",
            _("People reached"),
            evaluation.target_reach,
            people,
            _at_least(people, evaluation.target_reach),
            note=_(
                "distinct people who signed in (walk-ins included), opened an announcement "
                "or registered after it"
            ),
        ),
        Indicator(
            "departments",
            _("Departments or organisations reached"),
            evaluation.target_departments,
            reached["orgs"] if people is not None else None,
            _at_least(
                reached["orgs"] if people is not None else None, evaluation.target_departments
            ),
        ),
    ]


def _survey(evaluation: Evaluation, results: Results | None) -> list[Indicator]:
    satisfaction = results.satisfaction if results else None
    rate = results.response_rate if results else None
    note = (
        _("%(answered)s of %(invited)s answered")
        % {"answered": results.answered, "invited": results.invited}
        if results
        else _("no questionnaire yet")
    )
    return [
        Indicator(
            "satisfaction",
            _("Average satisfaction"),
            evaluation.target_satisfaction,
            satisfaction,
            _at_least(satisfaction, evaluation.target_satisfaction),
            " / 5",
        ),
        Indicator(
            "response_rate",
            _("Questionnaire response rate"),
            evaluation.target_response_rate,
            rate,
            _at_least(rate, evaluation.target_response_rate),
            "%",
            note,
        ),
    ]


def _budget(meeting: Meeting) -> list[Indicator]:
    statement = statement_of(meeting)
    if statement.budget is None or not statement.lines:
        return []
    planned, actual = statement.planned_total, statement.actual_total
    return [
        Indicator(
            "budget",
            _("Spending within budget"),
            planned,
            actual,
            actual <= planned,
            note=_("planned %(planned)s, spent %(actual)s")
            % {"planned": format_money(planned), "actual": format_money(actual)},
            money=True,
        )
    ]


def _agenda(meeting: Meeting) -> list[Indicator]:
    planned = meeting.agenda_items.aggregate(total=Sum("duration_minutes"))["total"]
    if not planned:
        return []
    scheduled = int((meeting.end - meeting.start).total_seconds() // 60)
    return [
        Indicator(
            "agenda",
            _("Agenda fits the meeting time"),
            scheduled,
            planned,
            planned <= scheduled,
            " " + _("min"),
            _("planned agenda against the scheduled time"),
        )
    ]


def indicators_for(
    meeting: Meeting, evaluation: Evaluation, results: Results | None
) -> list[Indicator]:
    """Every indicator with data sources installed; a handful of queries whatever the size."""
    return [
        *_attendance(meeting, evaluation),
        *_survey(evaluation, results),
        *_budget(meeting),
        *_agenda(meeting),
    ]


def indicators_now(meeting: Meeting, evaluation: Evaluation) -> list[Indicator]:
    """The indicators with the questionnaire's results as they are now."""
    survey = survey_of(meeting)
    return indicators_for(meeting, evaluation, results_of(survey) if survey else None)


@dataclass
class Outcomes:
    """What the meeting produced (P6.4): decisions recorded and action items followed up."""

    decisions: int
    actions: int
    actions_done: int


def outcomes_of(meeting: Meeting) -> Outcomes:
    decisions = Decision.objects.filter(section__minutes__meeting=meeting).count()
    actions = ActionItem.objects.filter(meeting=meeting).aggregate(
        total=Count("id"), done=Count("id", filter=Q(state=ActionState.DONE))
    )
    return Outcomes(decisions=decisions, actions=actions["total"], actions_done=actions["done"])


def met_count(indicators: list[Indicator]) -> tuple[int, int]:
    judged = [i for i in indicators if i.met is not None]
    return sum(1 for i in judged if i.met), len(judged)


def as_snapshot(indicators: list[Indicator]) -> dict[str, Any]:
    return {"indicators": [i.as_dict() for i in indicators]}
