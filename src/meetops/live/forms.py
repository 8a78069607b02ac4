"""Input of the room's pages: shape and length only; the rules are in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meetops.core.validation import SaneDateTimeField
from meetops.live.models import TicketCategory


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("Problem"), choices=TicketCategory.choices)
    room = forms.CharField(label=_("Room"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question or comment"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    anonymous = forms.BooleanField(label=_("Hide my name from the others"), required=False)


class ReleaseForm(forms.Form):
    release_at = SaneDateTimeField(
        label=_("Available from (empty: now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    note = forms.CharField(label=_("Note to participants"), max_length=500, required=False)
