"""Form parsing for the security plan's page; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.core.forms import model_choice_field
from meetops.core.validation import SaneDateTimeField
from meetops.meetings.models import Meeting, Participant
from meetops.risks.models import AccessKind, BadgeColour, Level, SecurityPlan
from meetops.risks.security.selectors import guard_choices

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"})


class GuardChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        duties = f" · {obj.duties[:40]}" if obj.duties else ""
        return f"{obj.display_name} ({obj.get_role_display()}){duties}"


class TextsForm(forms.ModelForm):
    class Meta:
        model = SecurityPlan
        fields = ["entry_checks", "restricted_areas"]
        widgets = {
            "entry_checks": forms.Textarea(attrs={"rows": 3}),
            "restricted_areas": forms.Textarea(attrs={"rows": 3}),
        }


class PostForm(forms.Form):
    place = forms.CharField(label=_("place"), max_length=200)
    duty = forms.CharField(label=_("duty"), max_length=500)
    start = SaneDateTimeField(label=_("start"), widget=WHEN)
    end = SaneDateTimeField(label=_("end"), widget=WHEN)
    guards = GuardChoice(
        label=_("guards"),
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People on this meeting, with their duties from the staffing plan."),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "guards").queryset = guard_choices(meeting)

    def row(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "place": data["place"],
            "duty": data["duty"],
            "start": data["start"],
            "end": data["end"],
            "guard_ids": [p.pk for p in data["guards"]],
        }


class DoorEntryForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=150)
    organisation = forms.CharField(label=_("department or company"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=pgettext_lazy("access", "kind"), choices=AccessKind.choices, initial="normal"
    )
    badge_colour = forms.ChoiceField(
        label=_("badge colour"),
        choices=[("", _("By kind")), *BadgeColour.choices],
        required=False,
        help_text=_("Empty: red for VIPs, yellow for the press, blue for others."),
    )

    def row(self) -> dict[str, Any]:
        return {**self.cleaned_data, "participant_id": None}


class IncidentForm(forms.Form):
    level = forms.ChoiceField(label=pgettext_lazy("risk", "level"), choices=Level.choices)
