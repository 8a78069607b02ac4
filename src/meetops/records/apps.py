from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "meetops.records"
    label = "records"
    verbose_name = _("Archive")

    def ready(self) -> None:
        from meetops.records import rules  # noqa: F401 - registers completion rules
