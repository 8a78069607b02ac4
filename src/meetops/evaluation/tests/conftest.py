"""Feedback fixtures: a meeting that took place, with a user, an expert and a guest on it, and its questionnaire."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def leader(make_user: Callable[..., Any]) -> Any:
    return make_user("leader", roles=("leader",))


@pytest.fixture
def expert(db: Any) -> Any:
    from meetops.people.services import create_contact

    return create_contact(
        name="钱晓梅", actor=None, email="qian@expert.example.org", organisation="省教育研究院"
    )


@pytest.fixture
def held(make_meeting: Callable[..., Any], organiser: Any, member: Any, expert: Any) -> Any:
    """A meeting that ended an hour ago: the member, an external expert and a guest without e-mail."""
    from meetops.meetings.services import add_participant

    meeting = make_meeting(
        title="年度教学工作会议",
        start=(timezone.now() - timedelta(hours=3)).replace(microsecond=0),
        goals="总结教学工作，部署下一阶段任务",
        expected_attendance=3,
    )
    add_participant(meeting, actor=organiser, user=member)
    add_participant(meeting, actor=organiser, contact=expert, role="speaker")
    add_participant(meeting, actor=organiser, name="访客张三", role="observer")
    return meeting


@pytest.fixture
def survey(held: Any, organiser: Any) -> Any:
    from meetops.evaluation import services

    return services.create_survey(held, actor=organiser, language="zh-hans")


@pytest.fixture
def opened(survey: Any, organiser: Any) -> Any:
    from meetops.evaluation import services

    return services.open_survey(survey, actor=organiser)


def full_answers(survey: Any, *, rating: int = 5, comment: str = "很好") -> dict[int, Any]:
    """An answer to every question of the default questionnaire."""
    answers: dict[int, Any] = {}
    for q in survey.questions.order_by("order"):
        if q.kind == "rating":
            answers[q.pk] = rating
        elif q.kind == "single":
            answers[q.pk] = q.choices[1]
        elif q.kind == "multiple":
            answers[q.pk] = q.choices[:2]
        else:
            answers[q.pk] = comment
    return answers
