from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "meetops.identity"
    label = "identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        from django.core.signals import setting_changed

        setting_changed.connect(_settings_changed, dispatch_uid="identity.reset_providers")


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    # Providers read their settings once; a test that overrides them gets fresh ones.
    if setting.startswith(("MEETOPS_", "IDENTITY_")):
        # apps.py loads before the app registry is ready; providers import models
        from meetops.identity.providers import reset_providers

        reset_providers()
