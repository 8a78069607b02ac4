"""Forms parse input only; the rules live in the services."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

DURATIONS = [
    (30, _("30 minutes")),
    (60, _("1 hour")),
    (90, _("1.5 hours")),
    (120, _("2 hours")),
    (180, _("3 hours")),
    (240, _("4 hours")),
]


class GridBookForm(forms.Form):
    """A click on a free grid cell submits `cell` = "<room id>|<ISO start>" with the chosen meeting."""

    cell = forms.CharField(max_length=80)
    meeting = forms.IntegerField(
        error_messages={"required": _("Choose the meeting to book for first.")}
    )
    duration = forms.TypedChoiceField(choices=DURATIONS, coerce=int, initial=60)

    def clean_cell(self) -> tuple[int, datetime]:
        room, _sep, start = self.cleaned_data["cell"].partition("|")
        try:
            return int(room), datetime.fromisoformat(start)
        except ValueError:
            raise forms.ValidationError(_("Unknown slot.")) from None


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"))


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    building = forms.IntegerField(label=_("Building"), required=False)


class SuggestForm(forms.Form):
    required = forms.CharField(
        label=_("Required people (user names, comma-separated)"), required=False
    )
    optional = forms.CharField(
        label=_("Optional people (user names, comma-separated)"), required=False
    )
    duration = forms.TypedChoiceField(
        label=_("Duration"), choices=DURATIONS, coerce=int, initial=60
    )
    window_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    window_end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    capacity = forms.IntegerField(label=_("Seats needed"), min_value=1, required=False)
    facilities = forms.MultipleChoiceField(
        label=_("Facilities needed"), required=False, widget=forms.CheckboxSelectMultiple
    )
    building = forms.IntegerField(
        label=_("Preferred building"), required=False, widget=forms.Select
    )
