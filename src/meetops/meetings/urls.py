from django.urls import path

from meetops.meetings import views

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/transition/", views.meeting_transition, name="meeting_transition"),
    path("<int:pk>/steps/<int:step_id>/complete/", views.step_complete, name="step_complete"),
]
