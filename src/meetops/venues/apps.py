from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "meetops.venues"
    label = "venues"
    verbose_name = _("Venues and room booking")

    def ready(self) -> None:
        from meetops.venues import receivers, rules  # noqa: F401 - registers the rule and the signal receiver
