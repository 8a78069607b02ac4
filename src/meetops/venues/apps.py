from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "meetops.venues"
    label = "venues"
    verbose_name = _("Venues and room booking")

    def ready(self) -> None:
        from meetops.venues import receivers  # noqa: F401 - connects the signal receiver
