from django.urls import path

from meetops.training import views

app_name = "training"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("records/new/", views.record_new, name="record_new"),
    path("records/<int:record_id>/certificate/download", views.certificate, name="certificate"),
    path("records/<int:record_id>/verify/", views.verify, name="verify"),
    path("needs/", views.needs, name="needs"),
    path("needs/<int:need_id>/", views.need_edit, name="need_edit"),
    path("courses/", views.courses, name="courses"),
    path("courses/<int:course_id>/", views.course, name="course"),
    path("courses/<int:course_id>/materials/", views.material_add, name="material_add"),
    path(
        "courses/<int:course_id>/materials/<int:material_id>/download",
        views.material,
        name="material",
    ),
    path(
        "courses/<int:course_id>/materials/<int:material_id>/remove/",
        views.material_remove,
        name="material_remove",
    ),
    path("courses/<int:course_id>/sessions/", views.session_link, name="session_link"),
]
