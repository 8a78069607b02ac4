"""Readable names of this app's audit actions and coded values (see core.audit)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions, label_data_keys, label_values
from meetops.policy.models import ReviewOutcome

label_actions({"policy.template.reviewed": _("Process reviewed")})
label_data_keys({"finding": _("finding")})
label_values("finding", dict(ReviewOutcome.choices))
label_actions(
    {
        "policy.template.step_added": _("Process step added to a draft"),
        "policy.template.step_changed": _("Process step changed in a draft"),
        "policy.template.step_removed": _("Process step removed from a draft"),
        "policy.template.step_moved": _("Process step moved in a draft"),
    }
)
