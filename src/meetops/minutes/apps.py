from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "meetops.minutes"
    label = "minutes"
    verbose_name = _("Minutes and action items")

    def ready(self) -> None:
        # Registers the completion rules, the notification events and the action reminder job.
        from meetops.minutes import events, jobs, rules  # noqa: F401
