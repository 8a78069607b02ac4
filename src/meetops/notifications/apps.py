from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "meetops.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from meetops.notifications import receivers  # noqa: F401 - connects the signal receivers
