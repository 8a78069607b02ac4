from django.urls import path

from meetops.followup import views, views_people, views_review

app_name = "followup"

urlpatterns = [
    path("", views.board, name="board"),
    path("summary/", views.summary, name="summary"),
    path("review/", views_review.review, name="review"),
    path("rules/", views_review.rules, name="rules"),
    path("rules/propose/", views_review.propose, name="rules_propose"),
    path(
        "rules/proposals/<int:proposal_id>/decide/",
        views_review.decide,
        name="rules_decide",
    ),
    path("actions/<int:action_id>/", views.item, name="item"),
    path(
        "actions/<int:action_id>/files/<int:update_id>",
        views.attachment,
        name="attachment",
    ),
    path("actions/<int:action_id>/<str:move>/", views.item_move, name="item_move"),
    path("me/", views_people.mine, name="mine"),
    path("me/feed/reset/", views_people.feed_reset, name="feed_reset"),
    path("tasks/<str:token>.ics", views_people.task_feed, name="task_feed"),
    path(
        "departments/<int:department_id>/",
        views_people.department_board,
        name="department_board",
    ),
    path(
        "departments/<int:department_id>/performance/",
        views_people.department_performance,
        name="department_performance",
    ),
    path(
        "people/<int:user_id>/performance/",
        views_people.person_performance,
        name="person_performance",
    ),
]
