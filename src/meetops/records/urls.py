from django.urls import path

from meetops.records import views

app_name = "records"

urlpatterns = [
    path("archive/", views.search, name="search"),
    path("archive/meetings/<int:pk>/", views.meeting_archive, name="meeting"),
    path("archive/filings/<int:pk>/", views.filing, name="filing"),
    path("archive/dossiers/<int:pk>/", views.dossier, name="dossier"),
    path("archive/dossiers/<int:pk>/<slug:action>/", views.dossier_action, name="dossier_action"),
    path("archive/documents/<int:pk>/", views.document, name="document"),
    path("archive/documents/<int:pk>/download", views.download, name="download"),
    path("archive/review/", views.review, name="review"),
    path("archive/destruction/", views.destruction, name="destruction"),
    path(
        "archive/destruction/<int:pk>/<slug:decision>/",
        views.destruction_decide,
        name="destruction_decide",
    ),
    path("archive/destruction/register.<str:fmt>", views.register_export, name="register"),
    path("archive/catalogue.<str:fmt>", views.catalogue_export, name="catalogue"),
    path("archive/access-log/", views.access_log, name="access_log"),
    path("archive/scheme/", views.scheme, name="scheme"),
]
