"""Lessons and measures from their sources (P6.7, P9.1): questionnaire comments and low ratings,
evaluation indicators not met, acceptances with problems, drills; recurring causes."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from meetops.core.errors import DomainError, NotFound, PermissionDenied
from meetops.core.models import AuditEntry
from meetops.improvement import selectors, sources
from meetops.improvement.models import Lesson, Measure
from meetops.improvement.services import lessons as lesson_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback(meeting: Any, organiser: Any) -> SimpleNamespace:
    """Two answers: satisfaction rated 2 and 3 (low), sign-in rated 5 and 4, one comment."""
    from meetops.evaluation.models import Answer, Question, Response, Survey

    survey = Survey.objects.create(
        meeting=meeting, title="会后问卷", state="closed", created_by=organiser
    )
    low = Question.objects.create(
        survey=survey, order=1, kind="rating", text="总体满意度", satisfaction=True
    )
    fine = Question.objects.create(survey=survey, order=2, kind="rating", text="签到是否便捷")
    text = Question.objects.create(survey=survey, order=3, kind="text", text="意见和建议")
    comments = []
    for rating, other, comment in ((2, 5, "会场空调温度偏低，很冷"), (3, 4, "")):
        response = Response.objects.create(survey=survey, submitted_on=timezone.localdate())
        Answer.objects.create(response=response, question=low, rating=rating)
        Answer.objects.create(response=response, question=fine, rating=other)
        comments.append(Answer.objects.create(response=response, question=text, text=comment))
    return SimpleNamespace(
        survey=survey, low=low, fine=fine, comment=comments[0], empty=comments[1]
    )


@pytest.fixture
def review(meeting: Any, organiser: Any, member: Any) -> Any:
    from meetops.followup.models import Review
    from meetops.minutes.services import create_action

    action = create_action(
        meeting,
        actor=organiser,
        title="修订会务检查清单",
        owner=member,
        due_date=timezone.localdate() + timedelta(days=5),
    )
    return Review.objects.create(
        action=action,
        decision="returned",
        completed_at=timezone.now(),
        reason="清单缺少会场温度一项",
        reviewed_by=organiser,
    )


@pytest.fixture
def drill(meeting: Any, organiser: Any) -> Any:
    from meetops.risks.services import record_drill

    return record_drill(
        meeting,
        actor=organiser,
        held_at=timezone.now() - timedelta(days=1),
        scenario="evacuation",
        participants=30,
        duration_minutes=20,
        outcome="issues",
        findings="东侧疏散通道被展板堵住",
        improvements="会前巡查疏散通道",
    )


def test_a_questionnaire_comment_becomes_a_lesson_in_one_step(feedback, meeting, organiser, client):
    client.force_login(organiser)
    results = client.get(reverse("evaluation:results", args=[meeting.pk])).content.decode()
    link = reverse("lesson_from_source", args=["survey_answer", feedback.comment.pk])
    assert f'href="{link}"' in results  # beside the comment

    form = client.get(link)
    assert form.status_code == 200
    assert form.context["form"].initial["what_happened"] == "会场空调温度偏低，很冷"
    assert "cause" in form.context["form"].fields and "root_cause" in form.context["form"].fields

    saved = client.post(
        link,
        {
            "phase": "running",
            "category": "venue",
            "effect": "negative",
            "what_happened": "会场空调温度偏低，很冷",
            "cause": "为什么冷？空调默认温度。为什么没调？会前未检查环境。",
            "root_cause": "会前未检查  会场环境",
        },
    )
    assert saved.status_code == 302
    lesson = Lesson.objects.get()
    assert (lesson.meeting, lesson.source_kind, lesson.source_object_id) == (
        meeting,
        "survey_answer",
        feedback.comment.pk,
    )
    assert lesson.root_cause == "会前未检查 会场环境"
    assert "会场空调温度偏低" in lesson.source_label
    assert lesson.source_url.startswith(reverse("evaluation:results", args=[meeting.pk]))
    entry = AuditEntry.objects.filter(action="improvement.lesson.recorded").get()
    assert entry.data["source"] == {"kind": "survey_answer", "id": feedback.comment.pk, "key": ""}
    # counted with the rest of the register
    register = client.get(reverse("lessons"))
    venue = next(c for c in register.context["counts"] if c.code == "venue")
    assert venue.problems == 1
    assert "会场空调温度偏低" in register.content.decode()
    # the answer now says what it became, and is not offered twice
    again = client.get(reverse("evaluation:results", args=[meeting.pk])).content.decode()
    assert f'href="{link}"' not in again
    assert reverse("meeting_lessons", args=[meeting.pk]) + f"#lesson-{lesson.pk}" in again


def test_low_ratings_and_unmet_indicators_are_sources_met_ones_are_not(
    feedback, meeting, organiser
):
    low = sources.load(organiser, "survey_question", feedback.low.pk)
    assert "2.5" in low.label and low.meeting == meeting
    with pytest.raises(DomainError) as err:
        sources.load(organiser, "survey_question", feedback.fine.pk)  # 4.5 on average
    assert err.value.code == "source_not_a_problem"
    with pytest.raises(DomainError) as err:
        sources.load(organiser, "survey_answer", feedback.empty.pk)  # nothing written
    assert err.value.code == "source_not_a_problem"

    indicator = sources.load(organiser, "evaluation_indicator", meeting.pk, "satisfaction")
    lesson = lesson_services.record_lesson_from_source(
        indicator, actor=organiser, category="people", cause="议程过满"
    )
    assert "2.5" in lesson.what_happened and lesson.cause == "议程过满"
    assert (lesson.source_kind, lesson.source_key) == ("evaluation_indicator", "satisfaction")
    with pytest.raises(NotFound):
        sources.load(organiser, "evaluation_indicator", meeting.pk, "no_such_indicator")
    with pytest.raises(NotFound):
        sources.load(organiser, "evaluation_indicator", meeting.pk)  # the key is required


def test_who_may_see_and_use_a_source(feedback, meeting, member, outsider, leader, client):
    link = reverse("lesson_from_source", args=["survey_answer", feedback.comment.pk])
    for person in (member, outsider):  # a participant reads no results; an outsider nothing
        client.force_login(person)
        assert client.get(link).status_code == 404
        with pytest.raises(NotFound):
            sources.load(person, "survey_answer", feedback.comment.pk)
    client.force_login(leader)  # reads the results, does not write the meeting's lessons
    page = client.get(reverse("evaluation:results", args=[meeting.pk])).content.decode()
    assert link not in page
    assert client.get(link).status_code == 403
    with pytest.raises(PermissionDenied):
        lesson_services.record_lesson_from_source(
            sources.load(leader, "survey_answer", feedback.comment.pk), actor=leader
        )
    assert client.get("/lessons/from/no_such_kind/1/").status_code == 404
    assert not Lesson.objects.exists()


def test_the_path_back_is_shown_only_to_those_who_may_follow_it(
    feedback, meeting, organiser, member, client
):
    origin = sources.load(organiser, "survey_answer", feedback.comment.pk)
    lesson_services.record_lesson_from_source(origin, actor=organiser)
    results = reverse("evaluation:results", args=[meeting.pk])
    client.force_login(organiser)
    assert f'href="{results}#answer-' in client.get(reverse("lessons")).content.decode()
    client.force_login(member)  # sees the meeting and its lessons, not its questionnaire results
    for page in (reverse("lessons"), reverse("meeting_lessons", args=[meeting.pk])):
        html = client.get(page).content.decode()
        assert "会场空调温度偏低" in html and 'data-source="survey_answer"' in html
        assert results not in html, page


def test_a_lesson_never_grows_from_a_lesson_nor_from_another_meeting(
    feedback, meeting, organiser, add_lesson, make_meeting
):
    lesson = add_lesson(meeting)
    with pytest.raises(DomainError) as err:
        lesson_services.record_lesson(
            actor=organiser,
            meeting=meeting,
            phase="running",
            category="tech",
            effect="negative",
            what_happened="x",
            origin=sources.load(organiser, "lesson", lesson.pk),
        )
    assert err.value.code == "source_not_a_problem"
    other = make_meeting(title="另一个会")
    with pytest.raises(DomainError) as err:
        lesson_services.record_lesson(
            actor=organiser,
            meeting=other,
            phase="running",
            category="tech",
            effect="negative",
            what_happened="x",
            origin=sources.load(organiser, "survey_answer", feedback.comment.pk),
        )
    assert err.value.code == "source_elsewhere"


def test_measures_from_acceptance_drill_and_evaluation_name_their_source(
    feedback, review, drill, meeting, organiser, client
):
    client.force_login(organiser)
    item_page = client.get(reverse("followup:item", args=[review.action_id])).content.decode()
    from_review = reverse("measure_from_source", args=["followup_review", review.pk])
    assert f'href="{from_review}"' in item_page
    drills_page = client.get(reverse("risk_drills", args=[meeting.pk])).content.decode()
    from_drill = reverse("measure_from_source", args=["risk_drill", drill.pk])
    assert f'href="{from_drill}"' in drills_page
    evaluation_page = client.get(reverse("evaluation:evaluation", args=[meeting.pk]))
    from_indicator = reverse(
        "measure_from_source", args=["evaluation_indicator", meeting.pk, "satisfaction"]
    )
    assert f'href="{from_indicator}"' in evaluation_page.content.decode()

    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    for link, title in (
        (from_review, "检查清单增加会场温度"),
        (from_drill, "展板不得占用疏散通道"),
        (from_indicator, "压缩议程，留足讨论"),
    ):
        assert client.get(link).status_code == 200
        answer = client.post(link, {"title": title, "owner": organiser.pk, "due_date": due})
        assert answer.status_code == 302, answer.context and answer.context["form"].errors
    kinds = dict(Measure.objects.values_list("title", "source_kind"))
    assert kinds == {
        "检查清单增加会场温度": "followup_review",
        "展板不得占用疏散通道": "risk_drill",
        "压缩议程，留足讨论": "evaluation_indicator",
    }
    measure = Measure.objects.get(source_kind="followup_review")
    assert measure.meeting == meeting and "修订会务检查清单" in measure.source_label
    detail = client.get(reverse("measure_detail", args=[measure.pk])).content.decode()
    assert 'id="measure-source"' in detail and measure.source_url in detail
    listing = client.get(reverse("measures")).content.decode()
    assert listing.count('class="source-link') == 3
    # the follow-up page now shows the measure beside the acceptance
    again = client.get(reverse("followup:item", args=[review.action_id])).content.decode()
    assert reverse("measure_detail", args=[measure.pk]) in again


def test_an_acceptance_without_problems_and_a_clean_drill_are_not_sources(review, drill, organiser):
    from meetops.followup.models import Review

    Review.objects.filter(pk=review.pk).update(decision="accepted", quality=5, on_time=True)
    with pytest.raises(DomainError) as err:
        sources.load(organiser, "followup_review", review.pk)
    assert err.value.code == "source_not_a_problem"
    Review.objects.filter(pk=review.pk).update(quality=3)  # accepted, but with problems
    assert sources.load(organiser, "followup_review", review.pk).kind == "followup_review"
    type(drill).objects.filter(pk=drill.pk).update(outcome="passed", findings="")
    with pytest.raises(DomainError):
        sources.load(organiser, "risk_drill", drill.pk)


def test_a_measure_from_lessons_names_its_first_lesson(meeting, add_lesson, add_measure):
    first, second = add_lesson(meeting), add_lesson(meeting, what_happened="话筒啸叫")
    measure = add_measure(meeting, lessons=[second, first])
    assert (measure.source_kind, measure.source_object_id) == ("lesson", first.pk)
    assert measure.source_url.endswith(f"#lesson-{first.pk}")
    direct = add_measure(meeting, title="直接计划")
    assert direct.source_kind == ""


def test_recurring_causes_stand_out_with_their_meetings(
    make_meeting, organiser, add_lesson, client
):
    first, second, third = (make_meeting(title=f"会议{i}") for i in range(3))
    add_lesson(first, category="venue", root_cause="会前未检查会场环境")
    add_lesson(second, category="venue", root_cause="会前未检查会场环境 ")
    add_lesson(second, category="tech", root_cause="会前未联调")
    add_lesson(third, category="tech", effect="positive", root_cause="会前未联调")
    client.force_login(organiser)
    page = client.get(reverse("lessons"))
    found = {(c.kind, c.code): [m.title for m in c.meetings] for c in page.context["recurring"]}
    assert found == {
        ("category", "venue"): ["会议0", "会议1"],
        ("root_cause", "会前未检查会场环境"): ["会议0", "会议1"],
    }  # tech: one meeting's problem, the other a thing to keep doing
    html = page.content.decode()
    assert 'data-recurring="root_cause:会前未检查会场环境"' in html
    assert reverse("meeting_lessons", args=[first.pk]) in html
    assert client.get(reverse("lessons"), {"recurring": "3"}).context["recurring"] == []
    this_year = timezone.localdate().year
    assert client.get(reverse("lessons"), {"year": this_year - 1}).context["recurring"] == []


def test_register_query_count_does_not_grow_with_recurring_causes(
    make_meeting, add_lesson, organiser, client, django_assert_max_num_queries
):
    for i in range(6):
        meeting = make_meeting(title=f"例会{i}")
        add_lesson(meeting, category="venue", root_cause=f"原因{i % 2}")
    client.force_login(organiser)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("lessons"))
    assert len(page.context["recurring"]) == 3


def test_results_page_query_count_is_pinned_with_source_actions(
    feedback, meeting, organiser, client, django_assert_max_num_queries
):
    from meetops.evaluation.models import Answer, Response

    for i in range(6):
        response = Response.objects.create(
            survey=feedback.survey, submitted_on=timezone.localdate()
        )
        Answer.objects.create(
            response=response, question=feedback.comment.question, text=f"问题{i}"
        )
    client.force_login(organiser)
    with django_assert_max_num_queries(24):
        page = client.get(reverse("evaluation:results", args=[meeting.pk]))
    assert page.content.decode().count("/lessons/from/survey_answer/") == 7


def test_api_creates_lessons_and_measures_from_sources(
    api_as, feedback, review, meeting, organiser, outsider
):
    api = api_as(organiser)
    created = api.post(
        "/api/v1/lessons/from-source",
        {
            "source": {"kind": "survey_answer", "id": feedback.comment.pk},
            "category": "venue",
            "cause": "会前未检查",
            "root_cause": "会前未检查会场环境",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["what_happened"] == "会场空调温度偏低，很冷" and body["meeting_id"] == meeting.pk
    assert body["root_cause"] == "会前未检查会场环境"
    assert body["source_link"]["kind"] == "survey_answer"
    assert body["source_link"]["id"] == feedback.comment.pk

    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    measure = api.post(
        "/api/v1/improvements/from-source",
        {
            "source": {"kind": "followup_review", "id": review.pk},
            "owner_id": organiser.pk,
            "due_date": due,
        },
    )
    assert measure.status_code == 201, measure.content
    out = measure.json()
    assert out["source"]["kind"] == "followup_review" and out["source"]["id"] == review.pk
    assert out["source"]["url"].startswith(reverse("followup:item", args=[review.action_id]))
    assert "修订会务检查清单" in out["title"]
    listed = api.get("/api/v1/improvements").json()["items"]
    assert [m["source"]["kind"] for m in listed] == ["followup_review"]

    assert (
        api_as(outsider)
        .post(
            "/api/v1/lessons/from-source",
            {"source": {"kind": "survey_answer", "id": feedback.comment.pk}},
        )
        .status_code
        == 404
    )
    bad = api.post(
        "/api/v1/improvements/from-source",
        {
            "source": {"kind": "survey_question", "id": feedback.fine.pk},
            "owner_id": organiser.pk,
            "due_date": due,
        },
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "source_not_a_problem"
    recurring = api.get("/api/v1/lessons/recurring", min_meetings=2)
    assert recurring.status_code == 200 and recurring.json() == []


def test_measures_api_shows_the_source_of_older_measures_too(
    api_as, meeting, add_lesson, add_measure, organiser
):
    lesson = add_lesson(meeting)
    plain = add_measure(meeting, title="直接")
    from_lesson = add_measure(meeting, lessons=[lesson], title="来自教训")
    rows = {
        m["id"]: m["source"] for m in api_as(organiser).get("/api/v1/improvements").json()["items"]
    }
    assert rows[plain.pk] is None
    assert rows[from_lesson.pk]["kind"] == "lesson" and rows[from_lesson.pk]["id"] == lesson.pk
    assert selectors.get_measure_for_user(organiser, from_lesson.pk).source_label
