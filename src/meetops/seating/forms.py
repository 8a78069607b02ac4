"""Input of the seating pages: types and lengths only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meetops.core.forms import choice_field
from meetops.seating.models import MAX_COLUMNS, MAX_ROSTRUM_ROWS, MAX_ROSTRUM_SEATS, MAX_ROWS

CLICK_ACTIONS = [
    ("assign", _("Seat the chosen person")),
    ("clear", _("Clear the seat")),
    ("reserve", _("Reserve the seat")),
    ("block", _("Block the seat")),
    ("seat", _("Make it a plain seat")),
]


class LayoutForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    rostrum_rows = forms.IntegerField(
        label=_("Rostrum rows"), min_value=0, max_value=MAX_ROSTRUM_ROWS, initial=1
    )
    rostrum_seats = forms.IntegerField(
        label=_("Seats per rostrum row"), min_value=0, max_value=MAX_ROSTRUM_SEATS, initial=5
    )
    rows = forms.IntegerField(label=_("Audience rows"), min_value=1, max_value=MAX_ROWS)
    columns = forms.IntegerField(label=_("Columns"), min_value=1, max_value=MAX_COLUMNS)
    aisle_columns = forms.CharField(
        label=_("Aisle columns"),
        max_length=200,
        required=False,
        help_text=_("Column numbers, separated by commas, e.g. 6, 13."),
    )

    def clean_aisle_columns(self) -> list[int]:
        text = self.cleaned_data["aisle_columns"].replace("，", ",")
        try:
            return sorted({int(part) for part in text.split(",") if part.strip()})
        except ValueError as exc:
            raise forms.ValidationError(_("Enter column numbers separated by commas.")) from exc


class NewPlanForm(forms.Form):
    room = forms.TypedChoiceField(label=_("Room"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, rooms: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[object, object]] = [("", _("No room (pick rows and columns later)"))]
        choices += [(r.pk, f"{r.name} · {r.capacity}") for r in rooms]
        choice_field(self, "room").choices = choices


class ClickForm(forms.Form):
    seat = forms.IntegerField(min_value=1)
    participant = forms.IntegerField(min_value=1, required=False)
    action = forms.ChoiceField(choices=CLICK_ACTIONS, initial="assign")
    notify = forms.BooleanField(required=False)


class AutoForm(forms.Form):
    keep_manual = forms.BooleanField(
        label=_("Keep seats placed by hand"), required=False, initial=True
    )
    notify = forms.BooleanField(label=_("Tell people whose seat changed"), required=False)


def ranked_ids(data: Any) -> list[int]:
    """Participant ids from `rank-<id>` fields, by the rank typed in (empty: not on the rostrum)."""
    ranks = []
    for key, value in data.items():
        pid, text = key.removeprefix("rank-"), str(value).strip()
        if key.startswith("rank-") and pid.isdigit() and text.isdigit() and int(text) > 0:
            ranks.append((int(text), int(pid)))
    return [pid for _rank, pid in sorted(ranks)]
