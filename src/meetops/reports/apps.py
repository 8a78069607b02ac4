from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "meetops.reports"
    label = "reports"
    verbose_name = _("Summary reports and leaders' instructions")
