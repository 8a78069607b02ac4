from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "meetops.venues"
    label = "venues"
    verbose_name = _("Venues and room booking")

    def ready(self) -> None:
        from meetops.venues import jobs, receivers, rules  # noqa: F401 - registers the rule, the receiver, the no-show job
        from meetops.venues.services import notify  # noqa: F401 - registers the booking notification events
