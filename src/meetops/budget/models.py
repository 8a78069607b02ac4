"""A meeting's budget (P2.6), its expenses and settlement (P4.6), and its supplies (P2.4, P4.7).

Money is `Decimal` with two places, in CNY. Totals are never stored: they are
summed from the lines and expenses when read, so two people recording expenses
at once cannot leave a stale total behind.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    VENUE = "venue", _("Venue")
    CATERING = "catering", _("Catering")
    MATERIALS = "materials", _("Materials and supplies")
    TRAVEL = "travel", _("Travel")
    ACCOMMODATION = "accommodation", _("Accommodation")
    AV = "av", _("Audio-visual equipment")
    PRINTING = "printing", _("Printing")
    HONORARIA = "honoraria", _("Honoraria")
    OTHER = "other", _("Other")


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", pgettext_lazy("budget", "Approved")
    RETURNED = "returned", _("Returned for changes")


class SettlementStatus(models.TextChoices):
    OPEN = "open", _("Not settled")
    SUBMITTED = "submitted", _("Settlement submitted")
    SETTLED = "settled", _("Settled")
    RETURNED = "returned", _("Settlement returned")


def _someone() -> models.ForeignKey:
    """Who did a step of the budget's life (kept as None if that account is deleted)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class Budget(models.Model):
    """One per meeting. Editable in draft or returned; locked once submitted or approved.

    Changing an approved budget starts a new revision (with a reason) that needs approval again.
    """

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="budget"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=BudgetStatus.choices, default=BudgetStatus.DRAFT
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    submitted_by = _someone()
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = _someone()
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)
    settlement_status = models.CharField(
        _("settlement"),
        max_length=20,
        choices=SettlementStatus.choices,
        default=SettlementStatus.OPEN,
    )
    settlement_note = models.TextField(_("settlement note"), blank=True)
    settlement_submitted_by = _someone()
    settlement_submitted_at = models.DateTimeField(null=True, blank=True)
    settled_by = _someone()
    settled_at = models.DateTimeField(null=True, blank=True)
    settlement_comment = models.TextField(_("settlement comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")

    def __str__(self) -> str:
        return f"{self.meeting} · r{self.revision}"


class BudgetLine(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveIntegerField(_("order"), default=0)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    planned = models.DecimalField(_("planned amount"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["budget", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(planned__gte=0), name="budget_line_planned_gte_0")
        ]

    def __str__(self) -> str:
        label = self.get_category_display()
        return f"{label} · {self.note}" if self.note else str(label)


class BudgetRevision(models.Model):
    """Why an approved budget was reopened, and what it said before."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    reason = models.TextField(_("reason"))
    previous_lines = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["budget", "number"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "number"], name="budget_revision_once")
        ]

    def __str__(self) -> str:
        return f"{self.budget} · r{self.number}"


class Expense(models.Model):
    """Money spent, always against one line of the meeting's budget."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="expenses")
    line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="expenses"
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    spent_on = models.DateField(_("date"))
    payee = models.CharField(_("payee"), max_length=200)
    # A supplier of the register (P10.5), when the payee is one; `payee` keeps its name as
    # paid, so the statement reads the same whatever later happens to the register.
    payee_supplier = models.ForeignKey(
        "partners.Supplier",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expenses",
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    receipt = models.FileField(_("receipt"), upload_to="budget/receipts/%Y/%m/", blank=True)
    receipt_type = models.CharField(max_length=100, blank=True)
    over_budget_reason = models.TextField(_("reason for exceeding the budget"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A mistaken expense is voided, never deleted: it stays on the statement, out of the sums.
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    voided_by = _someone()
    void_reason = models.CharField(_("reason for voiding"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["budget", "spent_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_gt_0")
        ]

    def __str__(self) -> str:
        return f"{self.payee} · {self.amount}"


class SupplyBase(models.Model):
    """What a supplies row says, on a meeting's checklist or on a kind's usual list."""

    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(pgettext_lazy("supplies", "item"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    reusable = models.BooleanField(_("to recover"), default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class SupplyItem(SupplyBase):
    """One line of a meeting's supplies checklist: prepared before (P2.4), recovered after (P4.7)."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="supplies"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    prepared = models.BooleanField(_("prepared"), default=False)
    recovered_quantity = models.PositiveIntegerField(_("recovered"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("supply item")
        verbose_name_plural = _("supply items")
        ordering = ["meeting", "order", "id"]


class DefaultSupply(SupplyBase):
    """The usual supplies of a kind of meeting, copied onto a meeting's checklist on request."""

    kind = models.ForeignKey(
        "meetings.MeetingKind", on_delete=models.CASCADE, related_name="default_supplies"
    )

    class Meta:
        verbose_name = _("default supply")
        verbose_name_plural = _("default supplies")
        ordering = ["kind", "order", "id"]
