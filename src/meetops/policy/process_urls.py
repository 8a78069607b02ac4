"""The process pages, mounted at /process/."""

from django.urls import path

from meetops.policy import editor_views, process_views

urlpatterns = [
    path("", process_views.process_current, name="process_current"),
    path("v<int:version>/", process_views.process_version, name="process_version"),
    path("id/<int:pk>/", process_views.process_template, name="process_template"),
    path("v<int:version>/review/", process_views.process_review, name="process_review"),
    path("editor/", editor_views.process_editor, name="process_editor"),
    path("editor/steps/add/", editor_views.editor_add, name="process_editor_add"),
    path(
        "editor/steps/<int:definition_id>/",
        editor_views.editor_update,
        name="process_editor_update",
    ),
    path(
        "editor/steps/<int:definition_id>/move/",
        editor_views.editor_move,
        name="process_editor_move",
    ),
    path(
        "editor/steps/<int:definition_id>/remove/",
        editor_views.editor_remove,
        name="process_editor_remove",
    ),
    path("editor/preview/", editor_views.editor_preview, name="process_editor_preview"),
    path("editor/publish/", editor_views.editor_publish, name="process_editor_publish"),
]
