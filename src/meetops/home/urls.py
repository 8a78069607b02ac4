from django.urls import path

from meetops.home import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
