"""The API contract: questionnaire, answers by token without login, evaluation; one error shape."""

from __future__ import annotations

import pytest
from django.test import Client

from meetops.evaluation.models import Response

pytestmark = pytest.mark.django_db


def _error(response):
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    return body["error"]["code"]


def test_organiser_runs_the_questionnaire_through_the_api(api_as, held, organiser):
    api = api_as(organiser)
    base = f"/api/v1/meetings/{held.pk}/survey"
    created = api.post(base, {"language": "en"})
    assert created.status_code == 201 and created.json()["title"] == "Meeting feedback"
    saved = api.put(
        f"{base}/questions",
        [
            {"kind": "rating", "text": "Overall", "required": True},
            {"kind": "multiple", "text": "Useful", "choices": ["Talks", "Q&A"]},
        ],
    )
    assert [q["kind"] for q in saved.json()["questions"]] == ["rating", "multiple"]
    opened = api.post(f"{base}/open", {})
    assert opened.status_code == 200 and opened.json()["state"] == "open"
    assert opened.json()["invited"] == 4
    assert _error(api.post(f"{base}/open", {})) == "survey_not_draft"
    assert api.post(f"{base}/remind").json() == {"count": 3}  # not the guest without address
    assert api.post(f"{base}/close").json()["state"] == "closed"


def test_feedback_by_token_without_login(api_as, opened):
    respondent = opened.respondents.get(name="钱晓梅")
    anonymous = Client()
    url = f"/api/v1/feedback/{respondent.token}"
    read = anonymous.get(url)
    assert read.status_code == 200 and read.json()["accepting"] and not read.json()["answered"]
    questions = read.json()["questions"]
    answers = [
        {"question_id": q["id"], "value": 4 if q["kind"] == "rating" else None}
        for q in questions
        if q["kind"] == "rating"
    ]
    posted = anonymous.post(url, {"answers": answers}, content_type="application/json")
    assert posted.status_code == 201 and posted.json()["answered"]
    again = anonymous.post(url, {"answers": answers}, content_type="application/json")
    assert again.status_code == 409 and _error(again) == "already_answered"
    assert Response.objects.count() == 1
    assert anonymous.get("/api/v1/feedback/nope").status_code == 404
    bad = anonymous.post(
        f"/api/v1/feedback/{opened.respondents.get(name='访客张三').token}",
        {"answers": [{"question_id": questions[0]["id"], "value": 9}]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and _error(bad) == "invalid_rating"


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [("organiser", 200, 200), ("leader", 200, 403), ("member", 403, 403), ("outsider", 403, 403)],
)
def test_evaluation_api_for_each_persona(api_as, request, held, persona, read, write):
    api = api_as(request.getfixturevalue(persona))
    url = f"/api/v1/meetings/{held.pk}/evaluation"
    assert api.get(url).status_code == read
    changed = api.patch(url, {"target_attendance": 80, "conclusion": "达到预期"})
    assert changed.status_code == write
    if write == 403:
        assert _error(changed) == "forbidden"


def test_evaluation_api_reports_indicators_and_completes(api_as, held, opened, organiser):
    api = api_as(organiser)
    url = f"/api/v1/meetings/{held.pk}/evaluation"
    body = api.get(url).json()
    codes = [i["code"] for i in body["indicators"]]
    assert codes[:5] == ["attendance", "reach", "departments", "satisfaction", "response_rate"]
    assert body["target_reach"] == 3 and body["state"] == "draft"
    assert _error(api.post(f"{url}/complete")) == "conclusion_required"
    assert api.patch(url, {"target_satisfaction": 9}).status_code == 422
    api.patch(url, {"conclusion": "达到预期", "lessons": "材料早发"})
    done = api.post(f"{url}/complete").json()
    assert done["state"] == "done" and done["lessons"] == "材料早发"
    assert api.post(f"{url}/send", {"audiences": ["participants"]}).json()["count"] >= 2
    results = api.get(f"/api/v1/meetings/{held.pk}/survey/results").json()
    assert results["invited"] == 4 and results["response_rate"] == 0


def test_survey_api_404_when_there_is_none(api_as, held, organiser, outsider):
    assert _error(api_as(organiser).get(f"/api/v1/meetings/{held.pk}/survey")) == "no_survey"
    held.confidentiality = "confidential"
    held.save(update_fields=["confidentiality"])
    response = api_as(outsider).post(f"/api/v1/meetings/{held.pk}/survey", {})
    assert response.status_code == 404 and _error(response) == "not_found"
