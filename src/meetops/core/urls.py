from django.urls import path

from meetops.core import views

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("system/backups/", views.backups, name="backups"),
]
