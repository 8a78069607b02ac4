from django.urls import path

from meetops.budget import views

app_name = "budget"

urlpatterns = [
    path("<int:pk>/budget/", views.budget_page, name="page"),
    path("<int:pk>/budget/lines/", views.budget_save, name="save"),
    path("<int:pk>/budget/expenses/", views.expense_add, name="expense_add"),
    path("<int:pk>/budget/expenses/<int:expense_id>/receipt", views.receipt, name="receipt"),
    path(
        "<int:pk>/budget/expenses/<int:expense_id>/void/", views.expense_void, name="expense_void"
    ),
    path("<int:pk>/budget/statement/", views.statement, name="statement"),
    path("<int:pk>/budget/statement.xlsx", views.statement_excel, name="statement_xlsx"),
    path("<int:pk>/budget/<str:action>/", views.budget_action, name="action"),
    path("<int:pk>/supplies/", views.supplies_page, name="supplies"),
    path("<int:pk>/supplies/save/", views.supplies_save, name="supplies_save"),
    path("<int:pk>/supplies/defaults/", views.supplies_defaults, name="supplies_defaults"),
]
