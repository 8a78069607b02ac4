from django.urls import path

from meetops.attendance import views

app_name = "attendance"

urlpatterns = [
    path("checkin/<str:code>", views.checkin, name="checkin"),
    path("meetings/<int:pk>/signin/", views.desk, name="desk"),
    path("meetings/<int:pk>/signin/scan/", views.scan, name="scan"),
    path("meetings/<int:pk>/signin/search/", views.search, name="search"),
    path(
        "meetings/<int:pk>/signin/people/<int:participant_id>/",
        views.sign_in_person,
        name="sign_in",
    ),
    path("meetings/<int:pk>/signin/walk-in/", views.walk_in, name="walk_in"),
    path("meetings/<int:pk>/signin/<int:signin_id>/undo/", views.undo, name="undo"),
    path("meetings/<int:pk>/signin/settings/", views.desk_settings, name="settings"),
    path("meetings/<int:pk>/signin/sheet/", views.sheet, name="sheet"),
    path("meetings/<int:pk>/signin/sheet/import/", views.import_sheet, name="import_sheet"),
    path("meetings/<int:pk>/signin/sheet.pdf", views.sheet_pdf, name="sheet_pdf"),
    path("meetings/<int:pk>/signin/attendance.xlsx", views.sheet_xlsx, name="xlsx"),
]
