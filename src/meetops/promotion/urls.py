from django.urls import path

from meetops.promotion import views

app_name = "promotion"

urlpatterns = [
    path("meetings/<int:pk>/announcements/", views.announcements, name="announcements"),
    path("meetings/<int:pk>/announcements/<int:aid>/", views.announcement, name="announcement"),
    path("meetings/<int:pk>/announcements/<int:aid>/poster/", views.poster, name="poster"),
    path("notices/", views.board, name="board"),
    path("notices/<int:aid>/", views.notice, name="notice"),
    path("notices/<int:aid>/go/<str:token>", views.go, name="go"),
]
