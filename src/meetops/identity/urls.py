from django.urls import path

from meetops.identity import views

urlpatterns = [
    path("syncs/", views.sync_list, name="identity_sync_list"),
    path("syncs/<str:provider>/start/", views.sync_start, name="identity_sync_start"),
    path("syncs/run/<int:pk>/", views.sync_detail, name="identity_sync_detail"),
    path("links/", views.link_list, name="identity_link_list"),
    path("links/<int:pk>/remove/", views.link_remove, name="identity_link_remove"),
]
