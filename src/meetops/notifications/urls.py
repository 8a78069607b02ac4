from django.urls import path

from meetops.notifications import views

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("bell/", views.bell, name="notification_bell"),
    path("<int:pk>/read/", views.notification_read, name="notification_read"),
    path("read-all/", views.notification_read_all, name="notification_read_all"),
    path("channels/", views.channel_preferences, name="channel_preferences"),
    path("deliveries/", views.delivery_log, name="delivery_log"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery_retry"),
    path("deliveries/<int:pk>/resend/", views.delivery_resend, name="delivery_resend"),
    path("deliveries/resend-unconfirmed/", views.delivery_resend_all, name="delivery_resend_all"),
    path("robots/", views.robot_list, name="robot_list"),
    path("robots/new/", views.robot_edit, name="robot_create"),
    path("robots/<int:pk>/", views.robot_edit, name="robot_edit"),
    path("robots/<int:pk>/test/", views.robot_test, name="robot_test"),
    path("webhooks/", views.webhook_list, name="webhook_list"),
    path("webhooks/new/", views.webhook_edit, name="webhook_create"),
    path("webhooks/<int:pk>/", views.webhook_edit, name="webhook_edit"),
    path(
        "webhooks/<int:pk>/<str:action>/",
        views.webhook_action,
        name="webhook_action",
    ),
]
