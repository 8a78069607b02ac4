from django.urls import path

from meetops.followup import views

app_name = "followup"

urlpatterns = [
    path("", views.board, name="board"),
    path("summary/", views.summary, name="summary"),
    path("actions/<int:action_id>/", views.item, name="item"),
    path(
        "actions/<int:action_id>/files/<int:update_id>",
        views.attachment,
        name="attachment",
    ),
    path("actions/<int:action_id>/<str:move>/", views.item_move, name="item_move"),
]
