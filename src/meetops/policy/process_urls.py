"""The process pages, mounted at /process/."""

from django.urls import path

from meetops.policy import process_views

urlpatterns = [
    path("", process_views.process_current, name="process_current"),
    path("v<int:version>/", process_views.process_version, name="process_version"),
    path("id/<int:pk>/", process_views.process_template, name="process_template"),
    path("v<int:version>/review/", process_views.process_review, name="process_review"),
]
