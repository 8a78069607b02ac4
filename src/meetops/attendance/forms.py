"""Forms parse input only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ScanForm(forms.Form):
    code = forms.CharField(label=_("Scan or type a sign-in code"), max_length=500)


class WalkInForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    organisation = forms.CharField(label=_("Department or company"), max_length=200, required=False)
    substitute_for = forms.IntegerField(
        label=_("Attending for (optional)"), required=False, min_value=1
    )


class UndoForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class DeskSettingsForm(forms.Form):
    self_signin = forms.BooleanField(
        label=_("Participants may sign themselves in with their code"), required=False
    )
    grace_minutes = forms.IntegerField(
        label=_("Late after (minutes past the start)"), min_value=0, max_value=240
    )
    opens_minutes = forms.IntegerField(
        label=_("Sign-in opens (minutes before the start)"), min_value=0, max_value=1440
    )


class PaperSheetForm(forms.Form):
    file = forms.FileField(label=_("Filled-in attendance sheet (.xlsx)"))
