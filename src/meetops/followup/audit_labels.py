"""Readable names of the follow-up's audit actions and data keys (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions, label_data_keys, label_values
from meetops.followup.models import EscalationKind, EscalationStage

label_actions(
    {
        "followup.progress.posted": _("Progress reported"),
        "followup.comment.added": _("Comment on an action item"),
        "followup.due_date.changed": _("Due date changed with a reason"),
        "followup.cooperation.changed": _("Cooperating departments changed"),
        "followup.escalation.raised": _("Problem reported upwards"),
        "followup.escalation.answered": _("Escalation answered"),
        "followup.review.accepted": _("Action item accepted"),
        "followup.review.returned": _("Action item sent back"),
        "followup.action.urged": _("Owner urged to finish an overdue item"),
        "followup.action.assigned": _("Action item given to someone by the department head"),
        "followup.task_feed.reset": _("Task feed address renewed"),
    }
)

label_data_keys(
    {
        "percent": _("Percent done"),
        "update": _("Progress update"),
        "escalation": _("Escalation"),
        "recipients": _("Reported to"),
        "quality": _("Quality"),
        "on_time": _("Done on time"),
        "departments": _("Cooperating departments"),
        "escalation_stage": _("Escalation stage"),
    }
)

label_values("kind", {k.value: k.label for k in EscalationKind})
label_values("escalation_stage", {k.value: k.label for k in EscalationStage})
