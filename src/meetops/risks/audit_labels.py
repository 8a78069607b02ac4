"""Readable names of this app's audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.core.audit import label_actions, label_data_keys, label_values
from meetops.risks.models import DrillOutcome, DrillScenario

label_actions(
    {
        "risks.risk.created": _("Risk added"),
        "risks.risk.updated": _("Risk changed"),
        "risks.risk.starters_added": _("Common risks added"),
        "risks.plan.saved": _("Emergency plan saved"),
        "risks.plan.submitted": _("Emergency plan submitted"),
        "risks.plan.approved": _("Emergency plan approved"),
        "risks.plan.returned": _("Emergency plan returned"),
        "risks.readiness.item_added": _("Readiness item added"),
        "risks.readiness.checked": _("Readiness item checked"),
        "risks.readiness.signed": _("Readiness inspection signed"),
        "risks.event.recorded": _("Risk event recorded"),
        "risks.drill.recorded": _("Emergency drill recorded"),
        "risks.note.posted": _("Message about a risk sent to departments"),
        "risks.security.saved": _("Security plan saved"),
        "risks.security.submitted": _("Security plan submitted"),
        "risks.security.approved": _("Security plan approved"),
        "risks.security.returned": _("Security plan returned"),
    }
)
label_data_keys(
    {
        "risk": _("risk"),
        "level": pgettext_lazy("risk", "level"),
        "starters": _("common risks"),
        "item": pgettext_lazy("readiness", "item"),
        "ok": _("OK"),
        "event": _("risk event"),
        "drill": _("emergency drill"),
        "scenario": _("scenario"),
        "outcome": _("outcome"),
        "label": _("name"),
        "description": _("description"),
        "posts": _("posts"),
        "door_list": _("door list"),
        "entry_checks": _("entry checks"),
        "restricted_areas": _("restricted areas"),
    }
)
label_values("scenario", dict(DrillScenario.choices))
label_values("outcome", dict(DrillOutcome.choices))
