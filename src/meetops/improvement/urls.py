from django.urls import path

from meetops.improvement import views

urlpatterns = [
    path("lessons/", views.lesson_register, name="lessons"),
    path("lessons/<int:lesson_id>/edit/", views.lesson_edit, name="lesson_edit"),
    path("meetings/<int:pk>/lessons/", views.meeting_lessons, name="meeting_lessons"),
    # A source in the path: links are followed by path (no query), kind/id/key name it whole.
    path(
        "lessons/from/<slug:kind>/<int:ref>/", views.lesson_from_source, name="lesson_from_source"
    ),
    path(
        "lessons/from/<slug:kind>/<int:ref>/<slug:key>/",
        views.lesson_from_source,
        name="lesson_from_source",
    ),
    path("improvements/", views.measure_list, name="measures"),
    path("improvements/new/", views.measure_new, name="measure_new"),
    path("improvements/proposals/", views.process_proposals, name="process_proposals"),
    path(
        "improvements/from/<slug:kind>/<int:ref>/",
        views.measure_from_source,
        name="measure_from_source",
    ),
    path(
        "improvements/from/<slug:kind>/<int:ref>/<slug:key>/",
        views.measure_from_source,
        name="measure_from_source",
    ),
    path("improvements/<int:measure_id>/", views.measure_detail, name="measure_detail"),
    path(
        "improvements/<int:measure_id>/<slug:action>/",
        views.measure_action,
        name="measure_action",
    ),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/<slug:action>/", views.case_action, name="case_action"),
]
