from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "meetops.venues"
    label = "venues"
    verbose_name = _("Venues and room booking")

    def ready(self) -> None:
        # Registers the completion rule, the signal receiver and the agenda's room source.
        from meetops.venues import agenda_rooms, receivers, rules  # noqa: F401
