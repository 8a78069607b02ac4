from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "meetops.venues"
    label = "venues"
    verbose_name = _("Venues and room booking")

    def ready(self) -> None:
        # Registers the completion rule, the signal receiver, the no-show job, the agenda's
        # room source and the booking notification events.
        from meetops.venues import agenda_rooms, jobs, receivers, rules  # noqa: F401
        from meetops.venues.services import notify  # noqa: F401
