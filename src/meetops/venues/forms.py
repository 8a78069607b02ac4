"""Forms parse input only; the rules live in the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meetops.core.forms import model_choice_field
from meetops.core.numbers import QuantityField
from meetops.core.validation import SaneDateField, SaneDateTimeField
from meetops.people.models import Role, User
from meetops.people.selectors import by_name
from meetops.venues.models import Building, ExternalVenue, Facility, Room
from meetops.venues.services.rooms import ADMIN_ONLY_FIELDS, ROOM_FIELDS, VENUE_FIELDS

DURATIONS = [
    (30, _("30 minutes")),
    (60, _("1 hour")),
    (90, _("1.5 hours")),
    (120, _("2 hours")),
    (180, _("3 hours")),
    (240, _("4 hours")),
]


class GridBookForm(forms.Form):
    """A click on a free grid cell submits `cell` = "<room id>|<ISO start>" with the chosen meeting;
    the "the meeting's time" button of a room submits `whole` = its id instead."""

    cell = forms.CharField(max_length=80, required=False)
    whole = forms.IntegerField(required=False, min_value=1)
    meeting = forms.IntegerField(
        error_messages={"required": _("Choose the meeting to book for first.")}
    )
    # Minutes: the listed choices, or the chosen meeting's own length.
    duration = forms.IntegerField(min_value=1, max_value=24 * 60, initial=60)
    part = forms.CharField(max_length=100, required=False)

    def clean_cell(self) -> tuple[int, datetime] | None:
        if not self.cleaned_data.get("cell"):
            return None
        room, _sep, start = self.cleaned_data["cell"].partition("|")
        try:
            return int(room), datetime.fromisoformat(start)
        except ValueError:
            raise forms.ValidationError(_("Unknown slot.")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("cell") and not data.get("whole"):
            raise forms.ValidationError(_("Choose a free slot."))
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"))


# The browser's date picker reads and writes only ISO dates: in the locale's format ("2026/12/08")
# the field showed empty and, being required, stopped the form from being sent at all.
def _date_picker() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    start = SaneDateField(label=_("From"), widget=_date_picker())
    end = SaneDateField(label=_("Until"), widget=_date_picker())
    building = forms.IntegerField(label=_("Building"), required=False)


class SuggestForm(forms.Form):
    # User names, comma-separated: what the people picker writes (and old links carry).
    required = forms.CharField(label=_("People who must attend"), required=False)
    optional = forms.CharField(label=_("People who may attend"), required=False)
    duration = forms.TypedChoiceField(
        label=_("Duration"), choices=DURATIONS, coerce=int, initial=60
    )
    window_start = SaneDateField(label=_("From"), widget=_date_picker())
    window_end = SaneDateField(label=_("Until"), widget=_date_picker())
    capacity = QuantityField(label=_("Seats needed"), min_value=1, required=False)
    facilities = forms.MultipleChoiceField(
        label=_("Facilities needed"), required=False, widget=forms.CheckboxSelectMultiple
    )
    building = forms.IntegerField(
        label=_("Preferred building"), required=False, widget=forms.Select
    )


class RoomFilterForm(forms.Form):
    """The rooms list's filters; the selector `filter_rooms` applies them (the API's too)."""

    building = forms.ModelChoiceField(
        label=_("Building"), queryset=Building.objects.none(), required=False
    )
    min_capacity = QuantityField(
        label=_("At least seats"), min_value=1, max_value=100_000, required=False
    )
    facility = forms.ModelMultipleChoiceField(
        label=_("Facilities"),
        queryset=Facility.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "building").queryset = Building.objects.all()
        model_choice_field(self, "facility").queryset = Facility.objects.all()


class RoomSettingsForm(forms.ModelForm):
    """Parses a room's settings; `update_room` decides who may change what."""

    allowed_roles = forms.MultipleChoiceField(
        label=_("May be booked by roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Room
        # ROOM_FIELDS holds the system administrators' ADMIN_ONLY_FIELDS, dropped for the others.
        fields = [*ROOM_FIELDS, "facilities", "allowed_departments", "administrators"]
        widgets = {
            "facilities": forms.CheckboxSelectMultiple,
            "open_time": forms.TimeInput(attrs={"type": "time"}),
            "close_time": forms.TimeInput(attrs={"type": "time"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, system_admin: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not system_admin:
            for name in ADMIN_ONLY_FIELDS:
                del self.fields[name]
        model_choice_field(self, "administrators").queryset = by_name(
            User.objects.filter(is_active=True)
        )

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as `update_room` arguments (facilities as codes)."""
        data = dict(self.cleaned_data)
        data["facilities"] = [f.code for f in data["facilities"]]
        data["allowed_departments"] = list(data["allowed_departments"])
        data["administrators"] = list(data["administrators"])
        data["allowed_roles"] = list(data["allowed_roles"])
        for key in ("max_booking_minutes", "bookable_days_ahead", "release_if_no_checkin_minutes"):
            data[key] = data.get(key) or None
        data["buffer_minutes"] = data.get("buffer_minutes") or 0
        return data


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo (JPEG, PNG or WebP, at most 5 MB)"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class BlackoutForm(forms.Form):
    start = SaneDateTimeField(
        label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = SaneDateTimeField(
        label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ExternalVenueForm(forms.ModelForm):
    class Meta:
        model = ExternalVenue
        fields = VENUE_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
