"""Answering the feedback questionnaire on a phone (375×812) in a real chromium, without an account."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def link(make_user: Any) -> str:
    """A meeting held this morning with an external expert on it; its questionnaire is open."""
    from django.utils import timezone

    from meetops.evaluation import services as feedback
    from meetops.meetings import services
    from meetops.meetings.models import MeetingKind

    organiser = make_user("organiser", roles=("organiser",))
    start = (timezone.now() - timedelta(hours=4)).replace(microsecond=0)
    meeting = services.create_meeting(
        actor=organiser,
        title="季度工作会",
        kind=MeetingKind.objects.get_or_create(code="regular", defaults={"name_zh_hans": "例会"})[
            0
        ],
        start=start,
        end=start + timedelta(hours=2),
    )
    services.add_participant(meeting, actor=organiser, name="钱专家", email="qian@example.org")
    survey = feedback.create_survey(meeting, actor=organiser, language="zh-hans")
    feedback.open_survey(survey, actor=organiser)
    return f"/feedback/{survey.respondents.get(name='钱专家').token}"


def test_an_expert_answers_on_a_phone(open_page: Any, link: str) -> None:
    from meetops.evaluation.models import Answer, Response

    page = open_page(375, 812, "zh-CN")
    page.goto(link)
    assert page.locator("h1").first.inner_text() == "会议满意度调查"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing sticks out
    ratings = page.locator("fieldset[data-kind=rating]")
    for i, score in enumerate(("5", "4", "4")):
        ratings.nth(i).locator(f"label:has(input[value='{score}'])").click()
    box = page.locator("fieldset[data-kind=rating] label").first.bounding_box()
    assert box is not None and box["height"] >= 40  # big enough for a thumb
    page.locator("fieldset[data-kind=single] label", has_text="合适").click()
    page.locator("fieldset[data-kind=multiple] label", has_text="讨论交流").click()
    page.locator("fieldset[data-kind=multiple] label", has_text="专家点评").click()
    page.locator("fieldset[data-kind=text] textarea").fill("讨论环节可以再长一些。")
    page.locator("#send-feedback").click()
    page.wait_for_selector("#thanks")
    assert "谢谢" in page.locator("#thanks").inner_text()
    response = Response.objects.get()
    assert sorted(
        a.rating for a in Answer.objects.filter(response=response, rating__isnull=False)
    ) == [4, 4, 5]
    multiple = Answer.objects.get(response=response, question__kind="multiple")
    assert multiple.choices == ["讨论交流", "专家点评"]
    page.goto(link)
    assert page.locator("#feedback-form").count() == 0  # one answer per person
