"""Form parsing for the training pages; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meetops.core.forms import model_choice_field
from meetops.core.numbers import NumberField
from meetops.core.validation import SaneDateField
from meetops.meetings.models import Meeting, Stage
from meetops.people.models import User
from meetops.people.selectors import by_name
from meetops.training.models import Course, TrainingNeed
from meetops.training.selectors import TRAINING_KIND


class DateInput(forms.DateInput):
    input_type = "date"


def _needs_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("needs it meets"),
        queryset=TrainingNeed.objects.filter(active=True).order_by("order", "pk"),
        widget=forms.CheckboxSelectMultiple,
    )


class ExternalTrainingForm(forms.Form):
    person = forms.ModelChoiceField(label=_("person"), queryset=User.objects.none())
    title = forms.CharField(label=_("training"), max_length=200)
    issuer = forms.CharField(label=_("issued by"), max_length=200)
    completed_on = SaneDateField(label=_("completed on"), widget=DateInput)
    hours = NumberField(label=_("hours"), max_digits=5, decimal_places=1)
    needs = _needs_field()
    certificate = forms.FileField(
        label=_("certificate"), help_text=_("PDF, PNG or JPEG, at most 10 MB.")
    )

    def __init__(self, *args: Any, for_anyone: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_anyone:
            model_choice_field(self, "person").queryset = by_name(
                User.objects.filter(is_active=True)
            )
        else:
            del self.fields["person"]

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "person"}


class NeedForm(forms.ModelForm):
    class Meta:
        model = TrainingNeed
        fields = [
            "duty",
            "name_zh_hans",
            "name_zh_hant",
            "name_en",
            "description",
            "refresher_months",
            "active",
            "order",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CourseForm(forms.ModelForm):
    needs = _needs_field()
    hours = NumberField(label=_("hours"), max_digits=5, decimal_places=1, required=False)

    class Meta:
        model = Course
        fields = ["title", "description", "needs", "hours", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    file = forms.FileField(label=_("file"))


class SessionForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("training meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "meeting").queryset = (
            Meeting.objects.filter(kind__code=TRAINING_KIND)
            .exclude(stage=Stage.CANCELLED)
            .order_by("-start")
        )


class VerifyForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("Verify")), ("0", _("Do not accept"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("note"), required=False, max_length=2000)
