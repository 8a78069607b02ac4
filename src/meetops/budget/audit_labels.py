"""Readable names of the budget's audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions, label_data_keys, label_values

label_actions(
    {
        "budget.budget.updated": _("Budget changed"),
        "budget.budget.submitted": _("Budget submitted for approval"),
        "budget.budget.approved": _("Budget approved"),
        "budget.budget.returned": _("Budget returned for changes"),
        "budget.expense.created": _("Expense recorded"),
        "budget.expense.receipt_attached": _("Receipt attached"),
        "budget.expense.voided": _("Expense voided"),
        "budget.settlement.submitted": _("Settlement submitted"),
        "budget.settlement.approved": _("Settlement approved"),
        "budget.settlement.returned": _("Settlement returned"),
        "budget.supplies.updated": _("Supplies checklist changed"),
        "budget.supplies.defaults_loaded": _("Usual supplies added"),
    }
)

label_data_keys(
    {
        "revision": _("revision"),
        "comment": _("comment"),
        "over": _("over plan"),
        "lines": _("budget lines"),
        "supplies": _("supplies"),
        "planned_total": _("planned total"),
        "actual_total": _("actual total"),
        "receipt": _("receipt"),
        "settlement_status": _("settlement"),
    }
)
label_values(
    "over",
    {"line_over_budget": _("line over plan"), "total_over_budget": _("total over plan")},
)
