from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkImConfig(AppConfig):
    name = "meetops.workim"
    label = "workim"
    verbose_name = _("Work IM platforms")
