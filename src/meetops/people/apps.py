from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "meetops.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        # Sign-in events into the audit log, and the separation-of-duties check.
        from meetops.people import checks, signin  # noqa: F401

        signin.connect()
