"""Reading the budget, expense and supplies forms into service input (rules stay in services)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.budget.models import BudgetLine
from meetops.core.forms import model_choice_field
from meetops.core.rows import TypedRows
from meetops.core.validation import MoneyField, SaneDateField
from meetops.partners.selectors import supplier_choices

BUDGET_COLUMNS = ("line_id", "category", "planned", "note")
SUPPLY_COLUMNS = (
    "item_id",
    "name",
    "quantity",
    "unit",
    "responsible_id",
    "recovered_quantity",
    "note",
)
SUPPLY_CHECKBOXES = ("prepared", "reusable")


def budget_labels() -> dict[str, Any]:
    return {"category": _("Category"), "planned": _("Planned (CNY)"), "note": _("Note")}


def supply_labels() -> dict[str, Any]:
    return {
        "name": pgettext_lazy("supplies", "Item"),
        "quantity": _("Quantity"),
        "unit": _("Unit"),
        "responsible_id": _("Responsible"),
        "recovered_quantity": _("Recovered"),
        "note": _("Note"),
    }


def _int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def budget_table(data: QueryDict | None, lines: Iterable[BudgetLine] = ()) -> TypedRows:
    """The editor's rows: as posted, or the stored lines plus three blank ones."""
    stored = [
        {"line_id": line.pk, "category": line.category, "planned": line.planned, "note": line.note}
        for line in lines
    ]
    table = TypedRows(data, BUDGET_COLUMNS, labels=budget_labels(), rows=stored)
    if data is None:
        table.add_blank(3)
    return table


def budget_rows(table: TypedRows) -> list[dict[str, Any]]:
    """Service input from the rows with a category or an amount; unreadable amounts are refused."""
    rows = []
    for row in table.filled("category", "planned"):
        amount = table.number(row, "planned")
        rows.append(
            {
                "id": _int(row.cell("line_id")),
                "category": row.cell("category"),
                "planned": "" if amount is None else str(amount),
                "note": row.cell("note"),
            }
        )
    return rows


def supply_table(data: QueryDict | None, items: Iterable[Any] = ()) -> TypedRows:
    """The checklist's rows: as posted, or the stored items plus three blank ones."""
    stored = [
        {
            "item_id": item.pk,
            **{name: getattr(item, name) for name in SUPPLY_COLUMNS[1:]},
            "prepared": item.prepared,
            "reusable": item.reusable,
        }
        for item in items
    ]
    table = TypedRows(
        data, SUPPLY_COLUMNS, labels=supply_labels(), checkboxes=SUPPLY_CHECKBOXES, rows=stored
    )
    if data is None:
        table.add_blank(3)
    return table


def supply_rows(table: TypedRows) -> list[dict[str, Any]]:
    """Service input from the rows with a name; unreadable quantities are refused."""
    rows = []
    for row in table.filled("name"):
        quantity = table.quantity(row, "quantity")
        rows.append(
            {
                "id": _int(row.cell("item_id")),
                "name": row.cell("name"),
                "quantity": 1
                if quantity is None and not row.cell("quantity").strip()
                else quantity,
                "unit": row.cell("unit").strip(),
                "responsible_id": _int(row.cell("responsible_id")),
                "prepared": row.cell("prepared"),
                "reusable": row.cell("reusable"),
                "recovered_quantity": table.quantity(row, "recovered_quantity"),
                "note": row.cell("note").strip(),
            }
        )
    return rows


class ExpenseForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    amount = MoneyField(label=_("Amount (CNY)"))
    spent_on = SaneDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    payee_supplier = forms.TypedChoiceField(
        label=_("Payee from the register"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Average rating and expired documents are shown; leave empty for others."),
    )
    payee = forms.CharField(
        label=_("Payee"),
        max_length=200,
        required=False,
        help_text=_("Anyone not in the register; empty takes the supplier's name."),
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    receipt = forms.FileField(label=_("Receipt"), required=False)
    over_budget_reason = forms.CharField(
        label=_("Reason, if over budget"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, budget: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if budget is not None:
            model_choice_field(self, "line").queryset = budget.lines.order_by("order", "id")
        payees = self.fields["payee_supplier"]
        assert isinstance(payees, forms.TypedChoiceField)
        payees.choices = [("", "—"), *supplier_choices()]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "line_id": data["line"].pk,
            "amount": data["amount"],
            "spent_on": data["spent_on"],
            "payee": data["payee"],
            "payee_supplier_id": data["payee_supplier"],
            "description": data["description"],
            "receipt": data["receipt"],
            "over_budget_reason": data["over_budget_reason"],
        }
