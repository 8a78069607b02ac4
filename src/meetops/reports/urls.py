from django.urls import path

from meetops.reports import views

urlpatterns = [
    path("meetings/<int:pk>/report/", views.report_page, name="summary_report"),
    path("meetings/<int:pk>/report/<str:move>/", views.report_move, name="summary_report_move"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/badge/", views.approvals_badge, name="approvals_badge"),
]
