from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "meetops.improvement"
    label = "improvement"
    verbose_name = _("Lessons, improvements and cases")

    def ready(self) -> None:
        # Registers the completion rules, the overdue-measure event and its reminder job.
        from meetops.improvement import jobs, notify, rules  # noqa: F401
