from django.urls import path

from meetops.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("meetings/<int:pk>/survey/", views.survey, name="survey"),
    path("meetings/<int:pk>/survey/results/", views.results, name="results"),
    path("meetings/<int:pk>/survey/results.xlsx", views.export, name="export"),
    path(
        "meetings/<int:pk>/survey/comments/<int:answer_id>/",
        views.categorise,
        name="categorise",
    ),
    path("meetings/<int:pk>/survey/<slug:action>/", views.survey_action, name="survey_action"),
    path("meetings/<int:pk>/evaluation/", views.evaluation, name="evaluation"),
    path(
        "meetings/<int:pk>/evaluation/<slug:action>/",
        views.evaluation_action,
        name="evaluation_action",
    ),
    # Without login: the personal link.
    path("feedback/<str:token>", views.feedback, name="feedback"),
]
