from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from meetops.core.registry import discover


class CoreConfig(AppConfig):
    name = "meetops.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Every installed app's contributions.py, core's own too: the app contract (ADR 0009).
        discover()
