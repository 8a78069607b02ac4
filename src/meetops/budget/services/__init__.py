"""Every write to budgets, expenses, settlements and supplies goes through here."""

from meetops.budget.services.budget import (
    approve_budget,
    return_budget,
    save_budget,
    submit_budget,
)
from meetops.budget.services.expenses import (
    add_expense,
    approve_settlement,
    attach_receipt,
    return_settlement,
    submit_settlement,
    void_expense,
)
from meetops.budget.services.supplies import load_default_supplies, save_supplies

__all__ = [
    "add_expense",
    "approve_budget",
    "approve_settlement",
    "attach_receipt",
    "load_default_supplies",
    "return_budget",
    "return_settlement",
    "save_budget",
    "save_supplies",
    "submit_budget",
    "submit_settlement",
    "void_expense",
]
