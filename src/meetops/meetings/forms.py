from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meetops.meetings.models import Confidentiality, Format, MeetingKind, Stage


class MeetingForm(forms.Form):
    """Parses input only; the rules live in services.create_meeting/update_meeting."""

    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=MeetingKind.objects.filter(active=True))
    start = forms.DateTimeField(label=_("Start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    end = forms.DateTimeField(label=_("End"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    location = forms.CharField(label=_("Location"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online meeting link"), required=False, assume_scheme="https")
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), choices=Confidentiality.choices, initial=Confidentiality.INTERNAL)
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    expected_attendance = forms.IntegerField(label=_("Expected attendance"), min_value=0, required=False)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Stage.choices)
    override_reason = forms.CharField(required=False, max_length=2000)


class StepCompleteForm(forms.Form):
    note = forms.CharField(required=False, max_length=5000)
    attachment = forms.FileField(required=False)
