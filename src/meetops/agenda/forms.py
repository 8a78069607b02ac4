"""Parsing the agenda editor's input into the service's fields. Rules live in the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.agenda.models import AgendaItem
from meetops.agenda.rooms import room_labels
from meetops.core.forms import choice_field
from meetops.core.validation import SaneDateTimeField
from meetops.meetings.models import Meeting


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=24 * 60, initial=15
    )
    presenter_choice = forms.ChoiceField(label=_("Presenter"), required=False)
    presenter = forms.CharField(
        label=_("or presenter's name"),
        max_length=150,
        required=False,
        help_text=_("For someone who is not on the meeting's list."),
    )
    start = SaneDateTimeField(
        label=_("Fixed start"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to follow the previous item."),
    )
    room_choice = forms.ChoiceField(
        label=_("Room"),
        required=False,
        help_text=_("One of the rooms booked for the meeting."),
    )
    room = forms.CharField(label=_("or another room"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    materials = forms.FileField(label=_("Materials"), required=False)
    materials_note = forms.CharField(label=_("Materials note"), max_length=500, required=False)
    clear_materials = forms.BooleanField(label=_("Remove the materials file"), required=False)
    is_public = forms.BooleanField(label=_("Public"), required=False)

    def __init__(
        self, *args: Any, meeting: Meeting, item: AgendaItem | None = None, **kwargs: Any
    ) -> None:
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(item)
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", "—")]
        for p in meeting.participants.select_related("user", "contact"):
            key = f"user:{p.user_id}" if p.user_id else f"contact:{p.contact_id}"
            if key not in dict(choices):
                choices.append((key, str(p.person)))
        if (
            item is not None
            and item.presenter_user_id
            and f"user:{item.presenter_user_id}" not in dict(choices)
        ):
            choices.append((f"user:{item.presenter_user_id}", item.presenter))
        if (
            item is not None
            and item.presenter_contact_id
            and f"contact:{item.presenter_contact_id}" not in dict(choices)
        ):
            choices.append((f"contact:{item.presenter_contact_id}", item.presenter))
        choice_field(self, "presenter_choice").choices = choices
        self._room_labels = room_labels(meeting)
        if self._room_labels:
            choice_field(self, "room_choice").choices = [("", "—")] + [
                (label, label) for label in self._room_labels
            ]
            if not self.is_bound and self.initial.get("room") in self._room_labels:
                self.initial["room_choice"], self.initial["room"] = self.initial["room"], ""
        else:
            # No booked rooms: the free-text field alone, under its plain name.
            del self.fields["room_choice"]
            self.fields["room"].label = _("Room")
        if item is None or not item.materials:
            del self.fields["clear_materials"]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned input under the service's (and the API's) names."""
        data = dict(self.cleaned_data)
        data["room"] = data.pop("room_choice", "") or data.get("room", "")
        kind, _sep, pk = (data.pop("presenter_choice") or "").partition(":")
        data["presenter_user_id"] = int(pk) if kind == "user" else None
        data["presenter_contact_id"] = int(pk) if kind == "contact" else None
        if data.get("start") is None:
            data["fixed_start"] = False
        return data


def initial_for(item: AgendaItem) -> dict[str, Any]:
    choice = (
        f"user:{item.presenter_user_id}"
        if item.presenter_user_id
        else f"contact:{item.presenter_contact_id}"
        if item.presenter_contact_id
        else ""
    )
    return {
        "title": item.title,
        "duration_minutes": item.duration_minutes,
        "presenter_choice": choice,
        "presenter": item.presenter_name,
        "start": timezone.localtime(item.start) if item.start else None,
        "room": item.room_label,
        "description": item.description,
        "materials_note": item.materials_note,
        "is_public": item.is_public,
    }
