"""Forms of the survey editor, the answer page and the evaluation. They parse; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from meetops.core.numbers import NumberField, QuantityField
from meetops.core.validation import SaneDateTimeField
from meetops.evaluation.models import Category, Evaluation, Question, QuestionKind, Survey
from meetops.evaluation.services.evaluation import FIELDS

NEW_ROWS = 2


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    intro = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous: nobody, admins included, can see who answered what"), required=False
    )
    closes_at = SaneDateTimeField(
        label=_("Closes at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    @classmethod
    def for_survey(cls, survey: Survey) -> SurveyForm:
        return cls(
            initial={
                "title": survey.title,
                "intro": survey.intro,
                "anonymous": survey.anonymous,
                "closes_at": survey.closes_at,
            }
        )


class OpenForm(forms.Form):
    closes_at = SurveyForm.base_fields["closes_at"]


def question_rows(questions: list[Question]) -> list[dict[str, Any]]:
    """The editor's rows: the questions, then blank rows to add new ones."""
    rows = [
        {
            "kind": q.kind,
            "text": q.text,
            "choices": "\n".join(q.choices),
            "required": q.required,
        }
        for q in questions
    ]
    blank = {"kind": QuestionKind.RATING, "text": "", "choices": "", "required": False}
    return rows + [dict(blank) for _ in range(NEW_ROWS)]


def questions_from_post(data: QueryDict) -> list[dict[str, Any]]:
    """Rows with a text, in the order given; rows ticked "remove" are dropped."""
    count = min(int(data.get("rows", "0") or 0), 60)
    questions = []
    for i in range(count):
        text = data.get(f"q{i}-text", "").strip()
        if not text or data.get(f"q{i}-remove"):
            continue
        questions.append(
            {
                "kind": data.get(f"q{i}-kind", ""),
                "text": text,
                "choices": data.get(f"q{i}-choices", "").splitlines(),
                "required": bool(data.get(f"q{i}-required")),
            }
        )
    return questions


def answers_from_post(questions: list[Question], data: QueryDict) -> dict[int, Any]:
    answers: dict[int, Any] = {}
    for q in questions:
        key = f"q{q.pk}"
        answers[q.pk] = data.getlist(key) if q.kind == QuestionKind.MULTIPLE else data.get(key, "")
    return answers


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = FIELDS
        # Targets are typed like every count and score: "1,200", "４.５" (core.numbers).
        field_classes = {
            "target_attendance": QuantityField,
            "target_satisfaction": NumberField,
            "target_response_rate": QuantityField,
            "target_reach": QuantityField,
            "target_departments": QuantityField,
        }
        widgets = {
            "conclusion": forms.Textarea(attrs={"rows": 4}),
            "lessons": forms.Textarea(attrs={"rows": 4}),
        }


class CategoryForm(forms.Form):
    category = forms.ChoiceField(choices=Category.choices, required=False)


class SendForm(forms.Form):
    audiences = forms.MultipleChoiceField(
        label=_("Send to"),
        choices=[("participants", _("The meeting's participants")), ("leaders", _("Leaders"))],
        widget=forms.CheckboxSelectMultiple,
    )
