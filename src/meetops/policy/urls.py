"""Step actions, under /meetings/<pk>/steps/ (registered in policy/contributions.py)."""

from django.urls import path

from meetops.policy import views

urlpatterns = [
    path("<int:step_id>/complete/", views.step_complete, name="step_complete"),
    path("<int:step_id>/waive/", views.step_waive, name="step_waive"),
    path("<int:step_id>/reopen/", views.step_reopen, name="step_reopen"),
    path("<int:step_id>/attachment/", views.step_attachment, name="step_attachment"),
]
