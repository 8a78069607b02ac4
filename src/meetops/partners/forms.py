"""Reading the register's forms into service input (the rules stay in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meetops.core.validation import MoneyField, SaneDateField
from meetops.partners.models import Contract, Kind, Qualification, Supplier

SCORE_CHOICES = [(n, str(n)) for n in range(5, 0, -1)]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class SupplierForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        required=False,
        help_text=_("18 characters, as on the business licence (统一社会信用代码)."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    @classmethod
    def of(cls, supplier: Supplier | None, data: Any = None) -> SupplierForm:
        initial = {name: getattr(supplier, name) for name in cls.base_fields} if supplier else None
        return cls(data, initial=initial)

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    title = forms.CharField(label=_("Position"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class QualificationForm(forms.Form):
    title = forms.CharField(label=_("Document"), max_length=200)
    expires_on = SaneDateField(label=_("Expires on"), widget=_date_input())
    file = forms.FileField(label=_("File"), required=False)

    @classmethod
    def of(cls, document: Qualification | None, data: Any = None, files: Any = None) -> Any:
        initial = {"title": document.title, "expires_on": document.expires_on} if document else None
        return cls(data, files, initial=initial)

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ContractForm(forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=100)
    title = forms.CharField(label=_("Subject"), max_length=200, required=False)
    starts_on = SaneDateField(label=_("Term starts"), widget=_date_input())
    ends_on = SaneDateField(label=_("Term ends"), widget=_date_input())
    amount = MoneyField(label=_("Amount (CNY)"))
    file = forms.FileField(label=_("File"), required=False)

    @classmethod
    def of(cls, contract: Contract | None, data: Any = None, files: Any = None) -> Any:
        names = ("number", "title", "starts_on", "ends_on", "amount")
        initial = {n: getattr(contract, n) for n in names} if contract else None
        return cls(data, files, initial=initial)

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class LinkForm(forms.Form):
    """Choose a supplier (each choice shows its average rating and expiry marks)."""

    supplier = forms.TypedChoiceField(label=_("Supplier"), coerce=int)
    supplied = forms.CharField(
        label=_("What they supplied"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. lunch for 80 people")}),
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["supplier"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *choices]


class RatingForm(forms.Form):
    quality = forms.TypedChoiceField(label=_("Quality"), choices=SCORE_CHOICES, coerce=int)
    punctuality = forms.TypedChoiceField(label=_("Punctuality"), choices=SCORE_CHOICES, coerce=int)
    price = forms.TypedChoiceField(label=_("Price"), choices=SCORE_CHOICES, coerce=int)
    comment = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ManagerForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
