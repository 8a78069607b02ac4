from django.urls import path

from meetops.live import views

app_name = "live"

urlpatterns = [
    path("<int:pk>/live/", views.console, name="console"),
    path("<int:pk>/live/do/<slug:action>/", views.console_action, name="action"),
    path("<int:pk>/live/timer", views.timer, name="timer"),
    path("<int:pk>/live/timer/frame", views.timer_frame, name="timer_frame"),
    path("<int:pk>/live/now/", views.now_on_stage, name="now"),
    path("<int:pk>/live/support/", views.support, name="support"),
    path(
        "<int:pk>/live/support/<int:ticket_id>/<slug:action>/", views.ticket_action, name="ticket"
    ),
    path("<int:pk>/live/questions/", views.questions, name="questions"),
    path(
        "<int:pk>/live/questions/<int:question_id>/<slug:action>/",
        views.question_action,
        name="question",
    ),
    path("<int:pk>/materials/", views.materials, name="materials"),
    path("<int:pk>/materials/<int:item_id>/", views.material_download, name="material"),
]
