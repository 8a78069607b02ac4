"""Meeting forms: they parse input only; the rules live in meetings.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meetops.core.forms import choice_field
from meetops.core.numbers import QuantityField
from meetops.core.validation import SaneDateField, SaneDateTimeField
from meetops.meetings.models import (
    Confidentiality,
    DocumentLanguage,
    Format,
    Meeting,
    MeetingKind,
    Stage,
)
from meetops.people.models import Department

# datetime-local inputs send "2026-12-01T09:00"; the site's time zone makes them aware.
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=LOCAL_INPUT)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=MeetingKind.objects.filter(active=True), empty_label=None
    )
    start = SaneDateTimeField(
        label=_("Start"), widget=LocalDateTimeInput(), input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M"]
    )
    end = SaneDateTimeField(
        label=_("End"), widget=LocalDateTimeInput(), input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M"]
    )
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    location = forms.CharField(
        label=_("Location"),
        max_length=300,
        required=False,
        help_text=_("Not needed when a room is booked for the meeting's time."),
    )
    online_url = forms.URLField(
        label=_("Online meeting link"), required=False, assume_scheme="https"
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"),
        choices=Confidentiality.choices,
        initial=Confidentiality.INTERNAL,
    )
    department = forms.ModelChoiceField(
        label=_("Organising department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label="—",
    )
    expected_attendance = QuantityField(label=_("Expected attendance"), min_value=0, required=False)
    language = forms.ChoiceField(
        label=_("Language of its documents"),
        choices=[("", "—"), *DocumentLanguage.choices],
        required=False,
        help_text=_("Minutes, notices and reports are written in it. Empty: the site's language."),
    )
    goals = forms.CharField(
        label=_("Goals"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    wide_fields = ("title", "goals", "description")

    @classmethod
    def for_meeting(cls, meeting: Meeting, data: Any = None) -> MeetingForm:
        initial = {name: getattr(meeting, name) for name in cls.base_fields}
        return cls(data, initial=initial)


class MeetingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    date_from = SaneDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = SaneDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "stage").choices = [("", _("All stages")), *Stage.choices]
        choice_field(self, "kind").choices = [("", _("All kinds"))] + [
            (k.code, k.name) for k in MeetingKind.objects.filter(active=True)
        ]

    def filters(self) -> dict[str, Any]:
        """The cleaned filters; invalid values are dropped rather than refused."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Stage.choices)
    override_reason = forms.CharField(
        label=_("Reason for the override"), required=False, max_length=2000
    )
