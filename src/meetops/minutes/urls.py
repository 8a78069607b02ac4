from django.urls import path

from meetops.minutes import views

urlpatterns = [
    path("meetings/<int:pk>/minutes/", views.minutes_page, name="minutes"),
    path("meetings/<int:pk>/minutes/<str:move>/", views.minutes_move, name="minutes_move"),
    path("meetings/<int:pk>/minutes-history/", views.minutes_history, name="minutes_history"),
    path("meetings/<int:pk>/actions/", views.meeting_actions, name="meeting_actions"),
    path("actions/", views.my_actions, name="my_actions"),
    path("actions/<int:action_id>/", views.action_update, name="action_update"),
]
