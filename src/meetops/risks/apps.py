from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "meetops.risks"
    label = "risks"
    verbose_name = _("Risks and emergencies")

    def ready(self) -> None:
        from meetops.risks import notify, rules  # noqa: F401 - registers completion rules and events
