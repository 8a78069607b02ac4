from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "meetops.live"
    label = "live"
    verbose_name = _("In the room")

    def ready(self) -> None:
        # Registers the completion rules, the notification events and the release job.
        from meetops.live import events, jobs, rules  # noqa: F401
