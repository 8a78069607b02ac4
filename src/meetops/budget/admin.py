from django.contrib import admin
from django.http import HttpRequest

from meetops.budget.models import Budget, BudgetLine, DefaultSupply, Expense


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    """Read in the admin; every change goes through the services (audited)."""

    list_display = ["meeting", "revision", "status", "settlement_status"]
    list_select_related = ["meeting"]
    inlines = [BudgetLineInline]
    readonly_fields = [f.name for f in Budget._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Expense)
class ExpenseAdmin(admin.ModelAdmin):
    list_display = ["budget", "line", "amount", "spent_on", "payee"]
    list_select_related = ["budget__meeting", "line"]
    readonly_fields = [f.name for f in Expense._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(DefaultSupply)
class DefaultSupplyAdmin(admin.ModelAdmin):
    """The usual supplies per meeting kind: edited here, copied onto a checklist on request."""

    list_display = ["kind", "order", "name", "quantity", "unit", "reusable"]
    list_filter = ["kind"]
    list_editable = ["order", "quantity", "unit", "reusable"]
