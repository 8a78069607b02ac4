"""Reading the budget, expense and supplies forms into service input (rules stay in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from meetops.budget.models import BudgetLine
from meetops.core.forms import model_choice_field
from meetops.core.validation import MoneyField, SaneDateField


def _int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def budget_rows(data: QueryDict) -> list[dict[str, Any]]:
    """The editor's repeated fields (line_id, category, planned, note); blank rows are skipped."""
    ids, categories = data.getlist("line_id"), data.getlist("category")
    planned, notes = data.getlist("planned"), data.getlist("note")
    rows = []
    for i, category in enumerate(categories):
        amount = planned[i].strip() if i < len(planned) else ""
        note = notes[i] if i < len(notes) else ""
        if not category and not amount:
            continue
        rows.append(
            {
                "id": _int(ids[i]) if i < len(ids) else None,
                "category": category,
                "planned": amount,
                "note": note,
            }
        )
    return rows


def supply_rows(data: QueryDict) -> list[dict[str, Any]]:
    """Checklist rows; checkboxes post the row's index when ticked."""
    names = data.getlist("name")
    prepared, reusable = set(data.getlist("prepared")), set(data.getlist("reusable"))
    cols = {
        k: data.getlist(k)
        for k in ("item_id", "quantity", "unit", "responsible_id", "recovered_quantity", "note")
    }

    def col(key: str, i: int) -> str:
        values = cols[key]
        return values[i].strip() if i < len(values) else ""

    rows = []
    for i, name in enumerate(names):
        if not name.strip():
            continue
        recovered = col("recovered_quantity", i)
        rows.append(
            {
                "id": _int(col("item_id", i)),
                "name": name,
                "quantity": _int(col("quantity", i)) if col("quantity", i) else 1,
                "unit": col("unit", i),
                "responsible_id": _int(col("responsible_id", i)),
                "prepared": str(i) in prepared,
                "reusable": str(i) in reusable,
                "recovered_quantity": _int(recovered) if recovered else None,
                "note": col("note", i),
            }
        )
    return rows


class ExpenseForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    amount = MoneyField(label=_("Amount (CNY)"))
    spent_on = SaneDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    payee = forms.CharField(label=_("Payee"), max_length=200)
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

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "line_id": data["line"].pk,
            "amount": data["amount"],
            "spent_on": data["spent_on"],
            "payee": data["payee"],
            "description": data["description"],
            "receipt": data["receipt"],
            "over_budget_reason": data["over_budget_reason"],
        }
