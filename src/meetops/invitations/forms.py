"""Forms parse input only; the rules live in the services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.core.forms import model_choice_field
from meetops.core.numbers import QuantityField
from meetops.core.rows import TypedRow, TypedRows
from meetops.core.validation import SaneDateTimeField
from meetops.invitations.models import PARTSTAT_LABELS, Language, ReplyOutcome, Response, SavedGroup
from meetops.invitations.services.participants import DutyRow
from meetops.meetings.models import Attendance, DutyKind, MeetingKind, MeetingRole, Participant
from meetops.people.models import Department, ExternalContact, User
from meetops.people.selectors import by_name


class PeopleChoiceForm(forms.Form):
    """Users, everyone in a department subtree, external contacts: the ways to pick people."""

    users = forms.ModelMultipleChoiceField(
        label=_("Users"),
        queryset=by_name(User.objects.filter(is_active=True)),
        required=False,
    )
    department = forms.ModelChoiceField(
        label=_("Everyone in department (and below)"),
        queryset=Department.objects.all(),
        required=False,
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("External contacts"), queryset=ExternalContact.objects.all(), required=False
    )


class AddPeopleForm(PeopleChoiceForm):
    group: forms.ModelChoiceField[SavedGroup] = forms.ModelChoiceField(
        label=_("Saved group"), queryset=None, required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=MeetingRole.choices, initial=MeetingRole.PARTICIPANT
    )
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices)

    field_order = ["users", "department", "group", "contacts", "role", "attendance"]

    def __init__(
        self, *args: Any, groups: QuerySet[SavedGroup] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "group").queryset = groups

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not any(data.get(f) for f in ("users", "department", "group", "contacts")):
            raise forms.ValidationError(
                _("Choose at least one person, a department, a saved group or a contact.")
            )
        return data


class AddGroupForm(forms.Form):
    """The participants page's short form: one saved group, in one role."""

    group: forms.ModelChoiceField[SavedGroup] = forms.ModelChoiceField(
        label=_("Saved group"), queryset=None
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=MeetingRole.choices, initial=MeetingRole.PARTICIPANT
    )
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices)

    def __init__(
        self, *args: Any, groups: QuerySet[SavedGroup] | None = None, **kwargs: Any
    ) -> None:
        kwargs["auto_id"] = "group_%s"
        super().__init__(*args, **kwargs)
        model_choice_field(self, "group").queryset = groups


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    shared = forms.BooleanField(
        label=_("Share with every organiser (they may use it; only you and admins change it)"),
        required=False,
    )


class GroupMembersForm(PeopleChoiceForm):
    department = forms.ModelChoiceField(
        label=_("Everyone now in department (and below)"),
        queryset=Department.objects.all(),
        required=False,
    )

    def __init__(self, *args: Any, group: SavedGroup | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if group is not None:  # offer only people not yet in the group
            users = model_choice_field(self, "users")
            contacts = model_choice_field(self, "contacts")
            assert users.queryset is not None and contacts.queryset is not None  # declared above
            users.queryset = users.queryset.exclude(pk__in=group.users.values("pk"))
            contacts.queryset = contacts.queryset.exclude(pk__in=group.contacts.values("pk"))


class GuestForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    organisation = forms.CharField(label=_("Department or company"), max_length=200, required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=MeetingRole.choices, initial=MeetingRole.PARTICIPANT
    )
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))
    merge = forms.BooleanField(
        label=_("Merge people listed twice (same e-mail or phone)"), required=False
    )


class ParticipantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MeetingRole.choices)
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices)
    duty_kinds = forms.MultipleChoiceField(
        label=_("Kinds of duty"),
        choices=DutyKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    duties = forms.CharField(
        label=_("Duty note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    seat_preference = forms.CharField(label=_("Seat preference"), max_length=200, required=False)


class DeadlineForm(forms.Form):
    deadline = SaneDateTimeField(
        label=_("Answer by"),
        required=False,
        # The browser's picker reads and writes only this format: with another one the saved
        # deadline showed as empty and saving the form again cleared it.
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=[
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
        ],
    )


class TemplateForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("Meeting kind"),
        queryset=MeetingKind.objects.filter(active=True),
        required=False,
        empty_label=_("Every kind"),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}), max_length=20000
    )


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=[c for c in Response.choices if c[0]],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    substitute_name = forms.CharField(label=_("Substitute's name"), required=False, max_length=150)
    substitute_email = forms.EmailField(label=_("Substitute's e-mail"), required=False)
    substitute_phone = forms.CharField(label=_("Substitute's phone"), required=False, max_length=40)


class RegistrationForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)


class RegistrationSettingsForm(forms.Form):
    open = forms.BooleanField(label=_("Public registration open"), required=False)
    capacity = QuantityField(label=_("Places (empty: unlimited)"), min_value=0, required=False)


# ---------------------------------------------------------------- the staffing plan's table


def kind_box(kind: str) -> str:
    """The checkbox column of one kind of duty (a ticked box posts its row's index)."""
    return f"kind_{kind}"


def duty_labels() -> dict[str, Any]:
    """Column names as the person reads them, for "Row 2, Duty note: …"."""
    return {
        "name": pgettext_lazy("person", "Name"),
        "kinds": _("Kinds of duty"),
        "note": _("Duty note"),
        **{kind_box(kind): label for kind, label in DutyKind.choices},
    }


def duty_table(data: QueryDict | None, people: Sequence[Participant] = ()) -> TypedRows:
    """The staffing plan as posted, or as stored for `people` (one row each)."""
    return TypedRows(
        data,
        ["participant", "note"],
        labels=duty_labels(),
        checkboxes=[kind_box(kind) for kind in DutyKind.values],
        rows=[
            {
                "participant": p.pk,
                "note": p.duties,
                **{kind_box(kind): kind in p.duty_kinds for kind in DutyKind.values},
            }
            for p in people
        ],
    )


def duty_rows(table: TypedRows) -> list[DutyRow]:
    """The rows to give `give_duties`; a row naming no person on the page is refused."""
    return [_duty_row(table, row) for row in table.filled("participant")]


def _duty_row(table: TypedRows, row: TypedRow) -> DutyRow:
    participant = str(row.cell("participant")).strip()
    if not participant.isdigit():
        table.refuse(row, "name", _("Unknown person: reload the page."))
    return DutyRow(
        participant_id=int(participant) if participant.isdigit() else 0,
        kinds=[kind for kind in DutyKind.values if row.cell(kind_box(kind))],
        note=str(row.cell("note")),
    )


class CalendarReplyFilterForm(forms.Form):
    """Filters of the calendar-replies page; a bad value is dropped, never an error page."""

    outcome = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("Every result")), *ReplyOutcome.choices, ("copies", _("Received twice"))],
    )
    partstat = forms.ChoiceField(
        label=_("Calendar answer"),
        required=False,
        choices=[("", _("Every answer")), *PARTSTAT_LABELS.items()],
    )
    address = forms.CharField(label=_("Address contains"), required=False, max_length=100)
    meeting = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
