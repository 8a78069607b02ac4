"""Pages: the editor, results and evaluation for the personas, and the personal answer page."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from meetops.evaluation import services
from meetops.evaluation.models import Answer, Respondent, Response
from meetops.evaluation.tests.conftest import full_answers

pytestmark = pytest.mark.django_db


def _answer_all(survey, ratings=(5, 4, 3)):
    waiting = survey.respondents.filter(answered=False).order_by("id")
    for respondent, rating in zip(waiting, ratings, strict=False):
        services.submit_response(respondent, answers=full_answers(survey, rating=rating))


@pytest.mark.parametrize(
    ("persona", "status"),
    [("organiser", 200), ("admin_user", 200), ("leader", 200), ("member", 403), ("outsider", 403)],
)
def test_results_page_for_each_persona(client, request, opened, persona, status):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        f"/meetings/{opened.meeting_id}/survey/results/",
        f"/meetings/{opened.meeting_id}/evaluation/",
    ):
        assert client.get(url).status_code == status


def test_confidential_meeting_is_404_for_outsiders(client, held, opened, outsider):
    held.confidentiality = "confidential"
    held.save(update_fields=["confidentiality"])
    client.force_login(outsider)
    assert client.get(f"/meetings/{held.pk}/survey/results/").status_code == 404
    assert client.post(f"/meetings/{held.pk}/survey/close/").status_code == 404


def test_member_cannot_change_anything(client, opened, member):
    client.force_login(member)
    for action in ("close", "remind", "questions", "settings"):
        assert client.post(f"/meetings/{opened.meeting_id}/survey/{action}/").status_code == 403
    assert client.post(f"/meetings/{opened.meeting_id}/evaluation/done/").status_code == 403


def test_organiser_builds_and_opens_the_questionnaire_from_the_page(client, held, organiser):
    client.force_login(organiser)
    page = client.get(f"/meetings/{held.pk}/survey/")
    assert "create-survey" in page.content.decode()
    client.post(f"/meetings/{held.pk}/survey/create/")
    survey = held.survey
    data = {"rows": "3", "q0-text": "总体满意度", "q0-kind": "rating", "q0-required": "on"}
    data |= {"q1-text": "会议时长", "q1-kind": "single", "q1-choices": "偏短\n合适\n偏长"}
    data |= {"q2-text": "", "q2-kind": "text"}
    client.post(f"/meetings/{held.pk}/survey/questions/", data)
    assert list(survey.questions.values_list("text", "kind", "required")) == [
        ("总体满意度", "rating", True),
        ("会议时长", "single", False),
    ]
    assert survey.questions.get(kind="single").choices == ["偏短", "合适", "偏长"]
    client.post(f"/meetings/{held.pk}/survey/open/", {"closes_at": ""})
    survey.refresh_from_db()
    assert survey.state == "open" and survey.respondents.count() == 4
    page = client.get(f"/meetings/{held.pk}/survey/").content.decode()
    assert 'id="remind"' in page and "访客张三" in page


def test_results_page_shows_bars_and_comments_in_constant_queries(
    client, opened, organiser, django_assert_max_num_queries
):
    _answer_all(opened)
    client.force_login(organiser)
    url = f"/meetings/{opened.meeting_id}/survey/results/"
    with django_assert_max_num_queries(14) as first:
        page = client.get(url).content.decode()
    assert 'id="response-rate">75%' in page and 'id="satisfaction">4.0' in page
    assert 'max="100" value="33"' in page and "很好" in page
    services.submit_response(
        Respondent.objects.filter(survey=opened, answered=False).first(),
        answers=full_answers(opened),
    )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_organiser_sorts_a_comment_into_suggestions(client, opened, organiser):
    _answer_all(opened, ratings=(4,))
    answer = Answer.objects.get(question__kind="text")
    client.force_login(organiser)
    client.post(
        f"/meetings/{opened.meeting_id}/survey/comments/{answer.pk}/", {"category": "suggestion"}
    )
    answer.refresh_from_db()
    assert answer.category == "suggestion"
    page = client.get(f"/meetings/{opened.meeting_id}/survey/results/").content.decode()
    assert "organised-feedback" in page


def test_excel_export_neutralises_formulas(client, opened, organiser):
    respondent = opened.respondents.order_by("id").first()
    services.submit_response(respondent, answers=full_answers(opened, comment="=HYPERLINK(1)"))
    client.force_login(organiser)
    response = client.get(f"/meetings/{opened.meeting_id}/survey/results.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] and rows[1][-1] == "'=HYPERLINK(1)"
    assert len(rows) == 2


def test_feedback_page_answers_without_login(client, opened):
    respondent = opened.respondents.get(name="钱晓梅")
    url = f"/feedback/{respondent.token}"
    page = client.get(url).content.decode()
    assert "feedback-form" in page and "您对本次会议的总体满意度" in page
    questions = list(opened.questions.order_by("order"))
    data = {f"q{q.pk}": "5" for q in questions if q.kind == "rating"}
    data[f"q{questions[3].pk}"] = questions[3].choices[0]
    data[f"q{questions[4].pk}"] = questions[4].choices[:2]
    data[f"q{questions[5].pk}"] = "专家点评很有启发"
    assert client.post(url, data).status_code == 302
    assert 'id="thanks"' in client.get(url).content.decode()
    response = Response.objects.get()
    assert response.answers.get(question=questions[4]).choices == questions[4].choices[:2]
    again = client.post(url, data)
    assert 'id="thanks"' in again.content.decode() or again.status_code == 302
    assert Response.objects.count() == 1


def test_feedback_page_keeps_what_was_typed_when_refused(client, opened):
    respondent = opened.respondents.get(name="钱晓梅")
    comment = opened.questions.get(kind="text")
    page = client.post(f"/feedback/{respondent.token}", {f"q{comment.pk}": "只写了意见"})
    text = page.content.decode()
    assert page.status_code == 200 and 'id="error"' in text and "只写了意见" in text


def test_feedback_page_for_unknown_and_closed(client, opened, organiser):
    assert client.get("/feedback/not-a-token").status_code == 404
    services.close_survey(opened, actor=organiser)
    respondent = opened.respondents.first()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hant"
    page = client.get(f"/feedback/{respondent.token}").content.decode()
    assert 'id="closed"' in page and "此問卷已關閉" in page


def test_evaluation_page_saves_and_completes(client, held, organiser):
    client.force_login(organiser)
    url = f"/meetings/{held.pk}/evaluation/"
    page = client.get(url).content.decode()
    assert 'data-indicator="attendance"' in page and 'data-indicator="satisfaction"' in page
    form = {
        "target_attendance": "80",
        "target_satisfaction": "4.0",
        "target_response_rate": "50",
        "target_reach": "3",
        "target_departments": "",
        "conclusion": "会议达到预期目标",
        "lessons": "材料提前一周下发",
    }
    client.post(url, form)
    client.post(f"/meetings/{held.pk}/evaluation/done/")
    page = client.get(url).content.decode()
    assert 'data-state="done"' in page and "材料提前一周下发" in page
    client.post(f"/meetings/{held.pk}/evaluation/send/", {"audiences": ["participants"]})
    held.evaluation.refresh_from_db()
    assert held.evaluation.results_sent_at is not None


def test_meeting_page_links_to_feedback_for_those_who_manage(client, held, organiser, member):
    client.force_login(organiser)
    assert (
        f"/meetings/{held.pk}/evaluation/" in client.get(f"/meetings/{held.pk}/").content.decode()
    )
    client.force_login(member)
    assert (
        f"/meetings/{held.pk}/evaluation/"
        not in client.get(f"/meetings/{held.pk}/").content.decode()
    )


def test_evaluation_page_query_count_does_not_grow_with_answers(
    client, opened, organiser, django_assert_max_num_queries
):
    _answer_all(opened, ratings=(5,))
    client.force_login(organiser)
    url = f"/meetings/{opened.meeting_id}/evaluation/"
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    _answer_all(opened, ratings=(4, 3, 2))
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_one_decision_is_one_decision_and_targets_take_grouped_numbers(client, held, organiser):
    """Issue 16, findings 4 and 7: "1 decisions"; targets typed as "1,200" were refused."""
    from meetops.evaluation.models import Evaluation
    from meetops.minutes.models import Decision, Minutes, MinutesSection

    minutes = Minutes.objects.create(meeting=held)
    section = MinutesSection.objects.create(minutes=minutes, title="议题一")
    Decision.objects.create(section=section, text="通过年度计划")
    client.force_login(organiser)
    url = f"/meetings/{held.pk}/evaluation/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 decision recorded" in page and "1 decisions" not in page
    response = client.post(
        url,
        {
            "target_attendance": "８０",
            "target_satisfaction": "4.5",
            "target_response_rate": "50",
            "target_reach": "1,200",
            "target_departments": "",
            "conclusion": "",
            "lessons": "",
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(meeting=held)
    assert (evaluation.target_attendance, evaluation.target_reach) == (80, 1200)
