"""Step forms: parse input only; the rules live in policy.services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from meetops.meetings.models import MeetingRole
from meetops.policy import rules
from meetops.policy.clauses import clause_choices
from meetops.policy.models import PROCESS_STAGES, StepDefinition


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


class StepForm(forms.Form):
    """A step of a draft process version; `policy.editor.clean_step` holds the rules."""

    stage = forms.ChoiceField(label=_("Stage"))
    clause = forms.ChoiceField(label=_("Policy clause"))
    title_zh_hans = forms.CharField(label=_("Title (Simplified Chinese)"), max_length=300)
    title_zh_hant = forms.CharField(
        label=_("Title (Traditional Chinese)"), max_length=300, required=False
    )
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    owner_role = forms.ChoiceField(label=_("Owner"), choices=MeetingRole.choices)
    required = forms.BooleanField(label=_("Required"), required=False)
    rule = forms.ChoiceField(label=_("Completes"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["stage"]).choices = [
            (s.value, s.label) for s in PROCESS_STAGES
        ]
        cast(forms.ChoiceField, self.fields["clause"]).choices = clause_choices()
        cast(forms.ChoiceField, self.fields["rule"]).choices = [
            ("", _("When the owner signs it off")),
            *((r.code, f"{r.label} ({r.code})") for r in rules.all_rules()),
        ]

    @classmethod
    def for_step(cls, step: StepDefinition, data: Any = None) -> StepForm:
        initial = {name: getattr(step, name) for name in cls.base_fields}
        return cls(data, initial=initial, prefix=f"s{step.pk}")
