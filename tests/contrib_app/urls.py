from django.urls import path

from tests.contrib_app import views

app_name = "contrib_app"
urlpatterns = [path("contrib/", views.board, name="board")]
