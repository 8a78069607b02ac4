"""Step forms: parse input only; the rules live in policy.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class StepCompleteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)


class StepWaiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class StepReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
