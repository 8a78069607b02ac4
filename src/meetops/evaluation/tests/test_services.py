"""The questionnaire's lifecycle, answering, anonymity, the evaluation and the completion rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.core.models import AuditEntry
from meetops.evaluation import services
from meetops.evaluation.indicators import indicators_for
from meetops.evaluation.models import Evaluation, Respondent, Response, SurveyState
from meetops.evaluation.selectors import evaluation_of, results_of
from meetops.evaluation.tests.conftest import full_answers
from meetops.notifications.models import OutboxMessage
from meetops.policy import rules

pytestmark = pytest.mark.django_db


def test_default_questionnaire_follows_the_language(held, organiser):
    survey = services.create_survey(held, actor=organiser, language="zh-hant")
    texts = list(survey.questions.values_list("text", flat=True))
    assert survey.title == "會議滿意度調查" and texts[0] == "您對本次會議的總體滿意度"
    kinds = set(survey.questions.values_list("kind", flat=True))
    assert kinds == {"rating", "single", "multiple", "text"}
    with pytest.raises(DomainError) as exc:
        services.create_survey(held, actor=organiser, language="en")
    assert exc.value.code == "survey_exists"


def test_only_those_who_manage_the_meeting_build_the_questionnaire(held, member, outsider):
    for person in (member, outsider):
        with pytest.raises(PermissionDenied):
            services.create_survey(held, actor=person, language="en")


def test_questions_are_checked_and_replaced(survey, organiser):
    with pytest.raises(ValidationFailed) as exc:
        services.save_questions(
            survey, actor=organiser, questions=[{"kind": "single", "text": "Q", "choices": ["a"]}]
        )
    assert exc.value.code == "question_choices"
    services.save_questions(
        survey,
        actor=organiser,
        questions=[
            {"kind": "rating", "text": "总体评价", "required": True},
            {"kind": "text", "text": "建议"},
        ],
    )
    assert list(survey.questions.values_list("text", flat=True)) == ["总体评价", "建议"]


def test_opening_sends_each_person_their_own_link(opened, member, expert):
    respondents = {r.name: r for r in opened.respondents.all()}
    assert set(respondents) >= {str(member), "钱晓梅", "访客张三"}
    assert respondents["钱晓梅"].external and not respondents[str(member)].external
    mail = OutboxMessage.objects.get(address="qian@expert.example.org")
    assert f"/feedback/{respondents['钱晓梅'].token}" in mail.body
    member_msgs = OutboxMessage.objects.filter(user=member, event="evaluation.survey")
    assert {m.channel for m in member_msgs} == {"inapp"}  # the member has no e-mail address
    assert all(f"/feedback/{respondents[str(member)].token}" in m.body for m in member_msgs)
    assert len({r.token for r in respondents.values()}) == len(respondents)
    assert all(len(r.token) >= 40 for r in respondents.values())


def test_a_meeting_that_has_not_started_cannot_collect_feedback(make_meeting, organiser):
    future = make_meeting(title="下周的会")
    survey = services.create_survey(future, actor=organiser, language="zh-hans")
    with pytest.raises(DomainError) as exc:
        services.open_survey(survey, actor=organiser)
    assert exc.value.code == "meeting_not_started"


def test_one_answer_per_person_a_second_is_refused(opened, member):
    respondent = Respondent.objects.get(survey=opened, user=member)
    services.submit_response(respondent, answers=full_answers(opened))
    with pytest.raises(DomainError) as exc:
        services.submit_response(respondent, answers=full_answers(opened, rating=1))
    assert exc.value.code == "already_answered"
    assert Response.objects.filter(survey=opened).count() == 1
    assert Response.objects.get().respondent == respondent


def test_questions_freeze_once_the_first_answer_arrives(opened, member, organiser):
    respondent = Respondent.objects.get(survey=opened, user=member)
    services.submit_response(respondent, answers=full_answers(opened))
    with pytest.raises(DomainError) as exc:
        services.save_questions(opened, actor=organiser, questions=[{"kind": "text", "text": "x"}])
    assert exc.value.code == "survey_has_answers"


def test_answers_are_validated(opened, member):
    respondent = Respondent.objects.get(survey=opened, user=member)
    answers = full_answers(opened)
    first = opened.questions.order_by("order").first()
    for bad, code in ((None, "answer_required"), (6, "invalid_rating"), ("x", "invalid_rating")):
        with pytest.raises(ValidationFailed) as exc:
            services.submit_response(respondent, answers={**answers, first.pk: bad})
        assert exc.value.code == code
    single = opened.questions.get(kind="single")
    with pytest.raises(ValidationFailed) as exc:
        services.submit_response(respondent, answers={**answers, single.pk: "不在选项里"})
    assert exc.value.code == "invalid_choice"
    assert not Response.objects.exists()


def test_closed_or_expired_questionnaires_refuse_answers(opened, member, organiser):
    respondent = Respondent.objects.get(survey=opened, user=member)
    opened.closes_at = timezone.now() - timedelta(minutes=1)
    opened.save(update_fields=["closes_at"])
    with pytest.raises(DomainError) as exc:
        services.submit_response(respondent, answers=full_answers(opened))
    assert exc.value.code == "survey_closed"
    opened.closes_at = None
    opened.save(update_fields=["closes_at"])
    services.close_survey(opened, actor=organiser)
    respondent.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.submit_response(respondent, answers=full_answers(opened))
    assert exc.value.code == "survey_closed"


def test_anonymous_answers_cannot_be_traced_to_the_person(survey, organiser, member):
    services.update_survey(survey, actor=organiser, title=survey.title, anonymous=True)
    survey = services.open_survey(survey, actor=organiser)
    respondent = Respondent.objects.get(survey=survey, user=member)
    services.submit_response(respondent, answers=full_answers(survey, comment="匿名意见"))
    response = Response.objects.get()
    assert response.respondent is None
    respondent.refresh_from_db()
    assert respondent.answered  # counted, and a second answer is still refused
    with pytest.raises(DomainError) as exc:
        services.submit_response(respondent, answers=full_answers(survey))
    assert exc.value.code == "already_answered"
    entry = AuditEntry.objects.get(action="evaluation.response.submitted")
    assert entry.actor is None and entry.ip_address is None and entry.data == {"anonymous": True}
    comments = results_of(survey).questions[-1].comments
    assert [(c.text, c.name) for c in comments] == [("匿名意见", "")]
    with pytest.raises(DomainError) as exc:
        services.update_survey(survey, actor=organiser, title=survey.title, anonymous=False)
    assert exc.value.code == "survey_has_answers"


def test_reminders_go_only_to_those_who_have_not_answered(opened, member, organiser):
    services.submit_response(
        Respondent.objects.get(survey=opened, user=member), answers=full_answers(opened)
    )
    waiting = opened.respondents.filter(answered=False).count()
    assert services.remind(opened, actor=organiser) == waiting - 1  # the guest has no address
    assert not OutboxMessage.objects.filter(event="evaluation.survey.reminder", user=member)
    assert services.remind(opened, actor=organiser) == 0  # once a day


def test_results_give_rates_distributions_and_averages(opened, member, organiser):
    people = list(opened.respondents.order_by("id"))
    for respondent, rating in zip(people[:3], (5, 4, 3), strict=False):
        services.submit_response(respondent, answers=full_answers(opened, rating=rating))
    results = results_of(opened)
    assert (results.invited, results.answered, results.response_rate) == (4, 3, 75)
    overall = results.questions[0]
    assert overall.average == 4 and [b.count for b in overall.bars] == [1, 1, 1, 0, 0]
    assert results.satisfaction == 4
    assert results.external_invited == 2


def test_comments_are_sorted_by_the_organiser(opened, member, organiser):
    services.submit_response(
        Respondent.objects.get(survey=opened, user=member),
        answers=full_answers(opened, comment="建议提前发材料"),
    )
    comment = results_of(opened).questions[-1].comments[0]
    from meetops.evaluation.models import Answer

    answer = Answer.objects.get(pk=comment.answer_id)
    services.categorise(answer, actor=organiser, category="suggestion")
    grouped = results_of(opened).comments_by_category()
    assert [c.text for c in grouped["suggestion"]] == ["建议提前发材料"]
    with pytest.raises(ValidationFailed):
        services.categorise(answer, actor=organiser, category="rubbish")
    with pytest.raises(PermissionDenied):
        services.categorise(answer, actor=member, category="problem")


def test_indicators_compare_actual_with_expected(opened, held, organiser, member):
    from meetops.attendance.services import sign_in

    for participant in held.participants.exclude(role="organiser")[:2]:
        sign_in(held, participant=participant, actor=organiser)
    for respondent in opened.respondents.order_by("id")[:2]:
        services.submit_response(respondent, answers=full_answers(opened, rating=3))
    evaluation = evaluation_of(held)
    assert evaluation.target_reach == 3  # from the plan's expected attendance
    found = {i.code: i for i in indicators_for(held, evaluation, results_of(opened))}
    assert (found["attendance"].actual, found["attendance"].met) == (67, False)
    assert (found["reach"].actual, found["reach"].met) == (2, False)
    assert (found["satisfaction"].actual, found["satisfaction"].met) == (3, False)
    assert (found["response_rate"].actual, found["response_rate"].met) == (50, False)
    services.update_evaluation(held, actor=organiser, target_attendance=60, target_reach=2)
    found = {i.code: i for i in indicators_for(held, evaluation_of(held), results_of(opened))}
    assert found["attendance"].met and found["reach"].met


def test_evaluation_needs_a_conclusion_and_freezes_when_done(held, organiser, member):
    with pytest.raises(ValidationFailed) as exc:
        services.complete_evaluation(held, actor=organiser)
    assert exc.value.code == "conclusion_required"
    with pytest.raises(PermissionDenied):
        services.update_evaluation(held, actor=member, conclusion="x")
    services.update_evaluation(held, actor=organiser, conclusion="达到预期", lessons="材料早发")
    evaluation = services.complete_evaluation(held, actor=organiser)
    assert evaluation.state == "done" and evaluation.snapshot["indicators"]
    with pytest.raises(DomainError) as exc:
        services.update_evaluation(held, actor=organiser, conclusion="改")
    assert exc.value.code == "evaluation_done"
    assert AuditEntry.objects.filter(action="evaluation.evaluation.done").exists()


def test_results_reach_participants_and_leaders(held, organiser, member, leader):
    with pytest.raises(DomainError) as exc:
        services.send_results(held, actor=organiser, audiences=["participants"])
    assert exc.value.code == "evaluation_not_done"
    services.update_evaluation(held, actor=organiser, conclusion="达到预期")
    services.complete_evaluation(held, actor=organiser)
    services.send_results(held, actor=organiser, audiences=["participants", "leaders"])
    sent = OutboxMessage.objects.filter(event="evaluation.results")
    assert sent.filter(user=member).exists() and sent.filter(user=leader).exists()
    assert sent.filter(address="qian@expert.example.org").exists()
    assert "达到预期" in sent.filter(user=member).first().body
    assert Evaluation.objects.get().results_sent_at is not None


def test_completion_rules_follow_the_evidence(opened, held, organiser):
    assert not rules.is_met("evaluation.feedback_collected", held)
    people = list(opened.respondents.order_by("id"))
    for respondent in people[:2]:
        services.submit_response(respondent, answers=full_answers(opened))
    assert not rules.is_met("evaluation.feedback_collected", held)  # 50 % < 60 %
    services.submit_response(people[2], answers=full_answers(opened))
    assert rules.is_met("evaluation.feedback_collected", held)  # 75 %
    services.update_evaluation(held, actor=organiser, conclusion="达到预期")
    services.complete_evaluation(held, actor=organiser)
    assert rules.is_met("evaluation.evaluated", held)
    assert not rules.is_met("evaluation.lessons_recorded", held)


def test_closing_with_answers_collects_the_feedback(opened, held, organiser):
    services.submit_response(opened.respondents.first(), answers=full_answers(opened))
    services.close_survey(opened, actor=organiser)
    assert rules.is_met("evaluation.feedback_collected", held)


def test_default_process_steps_complete_automatically(held):
    steps = {s.clause: s for s in held.steps.filter(clause__in=["P4.3", "P4.8", "P4.10"])}
    assert {c: (s.completion, s.rule) for c, s in steps.items()} == {
        "P4.3": ("automatic", "evaluation.feedback_collected"),
        # The improvement app's rule took P4.8 over; it accepts the evaluation's lessons too.
        "P4.8": ("automatic", "improvement.lessons_recorded"),
        "P4.10": ("automatic", "evaluation.evaluated"),
    }


def test_the_job_closes_expired_questionnaires_and_reminds_the_day_before(opened, held):
    from meetops.evaluation.jobs import survey_deadlines

    opened.closes_at = timezone.now() + timedelta(hours=5)
    opened.save(update_fields=["closes_at"])
    assert survey_deadlines() == (0, 1)
    assert OutboxMessage.objects.filter(event="evaluation.survey.reminder").exists()
    assert survey_deadlines() == (0, 0)  # reminded once
    opened.closes_at = timezone.now() - timedelta(minutes=1)
    opened.save(update_fields=["closes_at"])
    assert survey_deadlines() == (1, 0)
    opened.refresh_from_db()
    assert opened.state == SurveyState.CLOSED


def test_the_evaluation_saved_as_it_was_writes_nothing_and_says_so(client, held, organiser):
    """Targets, conclusion and lessons sent back unchanged: no row written (updated_at kept),
    no audit entry, and the page says 未作修改."""
    services.update_evaluation(held, actor=organiser, conclusion="达到预期", target_reach=2)
    entries = AuditEntry.objects.filter(action="evaluation.evaluation.updated")
    assert entries.count() == 1
    stamped = Evaluation.objects.get(meeting=held).updated_at
    services.update_evaluation(held, actor=organiser, conclusion=" 达到预期 ", target_reach=2)
    assert Evaluation.objects.get(meeting=held).updated_at == stamped and entries.count() == 1

    from meetops.evaluation.forms import EvaluationForm

    form = EvaluationForm(instance=evaluation_of(held))
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    client.force_login(organiser)
    page = client.post(
        f"/meetings/{held.pk}/evaluation/",
        data,
        follow=True,
        headers={"Accept-Language": "zh-hans"},
    )
    assert page.status_code == 200
    assert "未作修改" in page.content.decode()
    assert Evaluation.objects.get(meeting=held).updated_at == stamped and entries.count() == 1
