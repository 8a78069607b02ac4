"""Forms of the archive pages: they only refuse malformed input; rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.core.forms import model_choice_field
from meetops.core.numbers import QuantityField
from meetops.core.validation import SaneDateField
from meetops.meetings.models import Confidentiality, MeetingKind
from meetops.people.models import Department, User
from meetops.people.selectors import by_name
from meetops.records.models import Category, RetentionRule


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Text"), required=False, max_length=200)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=9999)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(active=True),
        required=False,
        to_field_name="code",
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.order_by("path"), required=False
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"),
        required=False,
        choices=[("", "—"), *Confidentiality.choices],
    )

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "year": data.get("year"),
            "category": data["category"].code if data.get("category") else "",
            "department": data["department"].pk if data.get("department") else None,
            "confidentiality": data.get("confidentiality") or "",
        }


class UploadForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(active=True)
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(label=_("File"))


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    file = forms.FileField(label=_("Corrected file"))


class PaperForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(active=True), required=False
    )
    pieces = QuantityField(label=_("Number of pieces"), min_value=1, max_value=100000, initial=1)
    room = forms.CharField(label=pgettext_lazy("archive", "Room"), max_length=60)
    cabinet = forms.CharField(label=_("Cabinet"), max_length=30)
    shelf = forms.CharField(label=_("Shelf"), max_length=30, required=False)
    box = forms.CharField(label=_("Box"), max_length=30, required=False)


class LendForm(forms.Form):
    borrower = forms.CharField(label=_("Borrower"), max_length=150)
    due_back = SaneDateField(
        label=_("Due back"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "code",
            "name_zh_hans",
            "name_zh_hant",
            "name_en",
            "retention",
            "order",
            "active",
            "required_for",
        ]
        widgets = {"required_for": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "retention").queryset = RetentionRule.objects.all()
        model_choice_field(self, "required_for").queryset = MeetingKind.objects.filter(active=True)


class SchemeForm(forms.Form):
    file_name_pattern = forms.CharField(label=_("File name rule"), max_length=200)
    number_pattern = forms.CharField(label=_("Archive number rule"), max_length=100)
    item_pattern = forms.CharField(
        label=_("Item archive number rule (档号)"), max_length=120, required=False
    )
    fonds_code = forms.CharField(label=_("Fonds number (全宗号)"), max_length=20, required=False)
    fonds_name = forms.CharField(label=_("Fonds name (全宗名称)"), max_length=200, required=False)
    class_code = forms.CharField(
        label=_("Record class code (门类代码)"), max_length=10, required=False
    )


class DepartmentCodeForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.order_by("path")
    )
    code = forms.CharField(label=_("Department code"), max_length=10, required=False)


class ApproveDestructionForm(NoteForm):
    supervisors = forms.ModelMultipleChoiceField(
        label=_("Destruction supervisors (two)"),
        queryset=by_name(User.objects.filter(is_active=True)),
        required=False,
    )


class CatalogueForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=9999)
    retention = forms.ModelChoiceField(
        label=_("Retention period"), queryset=RetentionRule.objects.all(), required=False
    )
