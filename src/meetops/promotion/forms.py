"""Form parsing for the pages; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meetops.core.forms import model_choice_field
from meetops.meetings.models import Confidentiality, Meeting
from meetops.people.models import Department, User
from meetops.promotion.models import Announcement
from meetops.promotion.selectors import available_channels, usable_groups


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments (with the departments below them)"),
        queryset=Department.objects.order_by("path"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Groups"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    public_page = forms.BooleanField(label=_("On the meeting's public page"), required=False)
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        meeting: Meeting,
        announcement: Announcement | None = None,
        **kwargs: Any,
    ) -> None:
        if announcement is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": announcement.title,
                "text": announcement.text,
                "departments": list(announcement.departments.all()),
                "groups": list(announcement.groups.all()),
                "public_page": announcement.public_page,
                "channels": announcement.channels,
            }
        super().__init__(*args, **kwargs)
        model_choice_field(self, "groups").queryset = usable_groups(user)
        channels = self.fields["channels"]
        assert isinstance(channels, forms.MultipleChoiceField)
        channels.choices = available_channels()
        if meeting.confidentiality != Confidentiality.PUBLIC:
            del self.fields["public_page"]

    def service_args(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "text": data["text"],
            "departments": list(data["departments"]),
            "groups": list(data["groups"]),
            "public_page": bool(data.get("public_page")),
            "channels": list(data["channels"]),
        }
