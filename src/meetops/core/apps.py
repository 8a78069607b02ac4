from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "meetops.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from meetops.core import jobs  # noqa: F401 - registers the scheduled backup
