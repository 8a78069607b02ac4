"""Audit log filters (parse only), and typed access to the fields a form narrows at run time."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core.validation import SaneDateField


class AuditFilterForm(forms.Form):
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=60)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    since = SaneDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = SaneDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> dict[str, Any]:
        """Selector keyword arguments; dates become local day bounds, bad values are dropped."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if "since" in data:
            data["since"] = timezone.make_aware(datetime.combine(data["since"], time.min))
        if "until" in data:
            data["until"] = timezone.make_aware(
                datetime.combine(data["until"] + timedelta(days=1), time.min)
            )
        return data


# `form.fields` holds plain `Field`s to the type checker; these name what the form declared, so
# a form's `__init__` can narrow its choices or querysets without an ignore.
def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field `name`, a ChoiceField (or a subclass) by the form's declaration."""
    return cast(forms.ChoiceField, form.fields[name])


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field `name`, a ModelChoiceField (or ModelMultipleChoiceField)."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])
