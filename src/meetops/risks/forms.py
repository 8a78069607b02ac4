"""Form parsing for the pages; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.core.forms import model_choice_field
from meetops.core.numbers import QuantityField
from meetops.core.validation import SaneDateTimeField
from meetops.meetings.models import Meeting
from meetops.people.models import Department, User
from meetops.people.selectors import by_name
from meetops.risks.models import (
    PLAN_SECTIONS,
    DrillOutcome,
    DrillScenario,
    EmergencyPlan,
    Level,
    Risk,
)

SCORES = [(i, str(i)) for i in range(1, 6)]


class RiskForm(forms.ModelForm):
    likelihood = forms.TypedChoiceField(label=_("likelihood (1–5)"), choices=SCORES, coerce=int)
    impact = forms.TypedChoiceField(label=_("impact (1–5)"), choices=SCORES, coerce=int)

    class Meta:
        model = Risk
        fields = [
            "phase",
            "category",
            "description",
            "likelihood",
            "impact",
            "response",
            "backup",
            "owner",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "response": forms.Textarea(attrs={"rows": 2}),
            "backup": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = by_name(
            User.objects.filter(participations__meeting=meeting, is_active=True).distinct()
        )

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PlanForm(forms.ModelForm):
    class Meta:
        model = EmergencyPlan
        fields = list(PLAN_SECTIONS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in PLAN_SECTIONS}


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class CheckForm(NoteForm):
    ok = forms.BooleanField(label=_("OK"), required=False)


class ItemForm(forms.Form):
    label = forms.CharField(label=pgettext_lazy("readiness", "item"), max_length=200)
    required = forms.BooleanField(label=_("required"), required=False, initial=True)


class EventForm(forms.Form):
    risk = forms.ModelChoiceField(label=_("risk"), queryset=Risk.objects.none(), required=False)
    level = forms.ChoiceField(
        label=pgettext_lazy("risk", "level"),
        choices=[("", "—"), *Level.choices],
        required=False,
        help_text=_("Empty: the linked risk's level."),
    )
    occurred_at = SaneDateTimeField(
        label=_("when"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    cause = forms.CharField(label=_("cause"), widget=forms.Textarea(attrs={"rows": 2}))
    handling = forms.CharField(label=_("handling"), widget=forms.Textarea(attrs={"rows": 2}))
    result = forms.CharField(
        label=_("result"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    lessons = forms.CharField(
        label=_("lessons learned"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "risk").queryset = Risk.objects.filter(meeting=meeting)


class DrillForm(forms.Form):
    held_at = SaneDateTimeField(
        label=_("held at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    scenario = forms.ChoiceField(label=_("scenario"), choices=DrillScenario.choices)
    participants = QuantityField(label=_("people taking part"), min_value=1)
    duration_minutes = QuantityField(label=_("duration (minutes)"), min_value=1)
    outcome = forms.ChoiceField(label=_("outcome"), choices=DrillOutcome.choices)
    findings = forms.CharField(
        label=_("what the drill showed"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    improvements = forms.CharField(
        label=_("improvements to the plan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when the drill did not go as planned."),
    )


class CoordinationForm(forms.Form):
    text = forms.CharField(label=_("message"), widget=forms.Textarea(attrs={"rows": 3}))
    departments = forms.ModelMultipleChoiceField(
        label=_("departments concerned"),
        queryset=Department.objects.order_by("path"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Their people on this meeting are told, with the risk's owner and the organisers."
        ),
    )
