from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "meetops.evaluation"
    label = "evaluation"
    verbose_name = _("Feedback and evaluation")

    def ready(self) -> None:
        # Registers completion rules, notification events, the periodic job and audit labels.
        from meetops.evaluation import audit_labels, jobs, notify, rules  # noqa: F401
