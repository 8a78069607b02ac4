from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "meetops.reports"
    label = "reports"
    verbose_name = _("Summary reports and leaders' instructions")

    def ready(self) -> None:
        # Registers the completion rules and the notification events.
        from meetops.reports import events, rules  # noqa: F401
