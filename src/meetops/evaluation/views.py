"""Questionnaire editor, results, evaluation pages and the personal answer page. Load, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from meetops.core.errors import DomainError
from meetops.core.web import AuthedRequest, errors_onto, say_saved
from meetops.evaluation import exports, forms, selectors, services
from meetops.evaluation.indicators import indicators_now, met_count, outcomes_of
from meetops.evaluation.models import Answer, Question
from meetops.evaluation.permissions import can_manage_feedback, can_read_results
from meetops.meetings.models import Meeting
from meetops.meetings.selectors import get_meeting_for_user


def _load(request: AuthedRequest, pk: int, allowed: Callable[..., bool]) -> Meeting:
    """404 for those who may not see the meeting, 403 for those who may see it but not do this."""
    meeting = get_meeting_for_user(request.user, pk)
    if not allowed(request.user, meeting):
        raise Forbidden
    return meeting


def _done(request: AuthedRequest, back: str, pk: int, message: str = "") -> HttpResponse:
    """After a write: say what happened and show the page again (a refusal went to the boundary)."""
    if message:
        messages.success(request, message)
    return redirect(back, pk=pk)


@login_required
def survey(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, can_read_results)
    current = selectors.survey_of(meeting)
    can_manage = can_manage_feedback(request.user, meeting)
    context: dict[str, Any] = {"meeting": meeting, "survey": current, "can_manage": can_manage}
    if current is not None:
        questions = selectors.questions_of(current)
        context.update(
            questions=questions,
            rows=forms.question_rows(questions),
            kinds=forms.QuestionKind.choices,
            editable=can_manage
            and not selectors.has_answers(current)
            and current.state != "closed",
            settings_form=forms.SurveyForm.for_survey(current),
            open_form=forms.OpenForm(initial={"closes_at": current.closes_at}),
            respondents=selectors.respondents_of(current),
        )
    return render(request, "evaluation/survey.html", context)


@login_required
@require_POST
def survey_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    meeting = _load(request, pk, can_manage_feedback)
    actor: Any = request.user
    back = "evaluation:survey"
    if action == "create":
        language = actor.language or get_language() or ""
        services.create_survey(meeting, actor=actor, language=language)
        return _done(request, back, pk)
    current = selectors.get_survey(meeting)
    if action == "settings":
        form = forms.SurveyForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Check the questionnaire's settings."))
            return redirect(back, pk=pk)
        services.update_survey(current, actor=actor, **form.cleaned_data)
        return _done(request, back, pk, _("Saved."))
    if action == "questions":
        questions = forms.questions_from_post(request.POST)
        services.save_questions(current, actor=actor, questions=questions)
        return _done(request, back, pk, _("Questions saved."))
    if action == "open":
        opening = forms.OpenForm(request.POST)
        closes_at = opening.cleaned_data["closes_at"] if opening.is_valid() else None
        services.open_survey(current, actor=actor, closes_at=closes_at)
        return _done(request, back, pk, _("The questionnaire is open; the links are on their way."))
    if action == "remind":
        count = services.remind(current, actor=actor)
        return _done(request, back, pk, _("Reminded %(n)s people.") % {"n": count})
    if action == "close":
        services.close_survey(current, actor=actor)
        return _done(request, back, pk, _("The questionnaire is closed."))
    raise Http404


@login_required
def results(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, can_read_results)
    current = selectors.get_survey(meeting)
    data = selectors.results_of(current)
    return render(
        request,
        "evaluation/results.html",
        {
            "meeting": meeting,
            "survey": current,
            "results": data,
            "grouped": data.comments_by_category(),
            "categories": forms.Category.choices,
            "can_manage": can_manage_feedback(request.user, meeting),
        },
    )


@login_required
@require_POST
def categorise(request: AuthedRequest, pk: int, answer_id: int) -> HttpResponse:
    meeting = _load(request, pk, can_manage_feedback)
    answer = get_object_or_404(
        Answer.objects.select_related("question__survey__meeting"),
        pk=answer_id,
        question__survey__meeting=meeting,
    )
    form = forms.CategoryForm(request.POST)
    category = form.cleaned_data["category"] if form.is_valid() else "invalid"
    services.categorise(answer, actor=request.user, category=category)
    return _done(request, "evaluation:results", pk)


@login_required
@require_GET
def export(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, can_read_results)
    return exports.xlsx_response(meeting, selectors.get_survey(meeting))


@login_required
def evaluation(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, can_read_results)
    current = selectors.evaluation_of(meeting)
    if request.method == "POST":
        meeting = _load(request, pk, can_manage_feedback)
        form = forms.EvaluationForm(request.POST)
        if form.is_valid():
            with errors_onto(form):  # the conclusion and lessons typed stay on the page
                saved = services.update_evaluation(meeting, actor=request.user, **form.cleaned_data)
                say_saved(request, saved, _("Saved."))
                return redirect("evaluation:evaluation", pk=pk)
    else:
        form = forms.EvaluationForm(instance=current)
    indicators = indicators_now(meeting, current)
    met, judged = met_count(indicators)
    return render(
        request,
        "evaluation/evaluation.html",
        {
            "meeting": meeting,
            "evaluation": current,
            "indicators": indicators,
            "met": met,
            "judged": judged,
            "outcomes": outcomes_of(meeting),
            "survey": selectors.survey_of(meeting),
            "form": form,
            "send_form": forms.SendForm(),
            "can_manage": can_manage_feedback(request.user, meeting),
        },
    )


@login_required
@require_POST
def evaluation_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    meeting = _load(request, pk, can_manage_feedback)
    actor: Any = request.user
    back = "evaluation:evaluation"
    if action == "done":
        services.complete_evaluation(meeting, actor=actor)
        return _done(request, back, pk, _("The evaluation is done."))
    if action == "reopen":
        services.reopen_evaluation(meeting, actor=actor)
        return _done(request, back, pk)
    if action == "send":
        form = forms.SendForm(request.POST)
        audiences = form.cleaned_data["audiences"] if form.is_valid() else []
        count = services.send_results(meeting, actor=actor, audiences=audiences)
        return _done(request, back, pk, _("%(n)s messages queued.") % {"n": count})
    raise Http404


class _Typed(TypedDict):
    value: Any


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    _Asked = WithAnnotations[Question, _Typed]


@never_cache
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    """The person's mobile page: the questions, or a thank-you, or why it no longer takes answers."""
    respondent = selectors.get_respondent_by_token(token)
    current = respondent.survey
    questions = selectors.questions_of(current)
    error = ""
    values: dict[int, Any] = {}
    if request.method == "POST":
        values = forms.answers_from_post(questions, request.POST)
        try:
            services.submit_response(respondent, answers=values)
            return redirect("evaluation:feedback", token=token)
        except DomainError as exc:  # the answers typed are shown again beside the message
            error = str(exc.message)
    # Each question gets `value`: what the person typed, shown again after a refusal.
    for q in cast("list[_Asked]", questions):
        q.value = values.get(q.pk, [] if q.kind == "multiple" else "")
    return render(
        request,
        "evaluation/feedback.html",
        {
            "respondent": respondent,
            "survey": current,
            "meeting": current.meeting,
            "questions": questions,
            "error": error,
            "accepting": services.accepting(current),
        },
    )
