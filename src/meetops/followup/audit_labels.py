"""Readable names of the follow-up's audit actions and data keys (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions, label_data_keys, label_values
from meetops.followup.models import AcceptedBy, EscalationKind, EscalationStage

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
        "followup.rules.proposed": _("Change of the follow-up rules proposed"),
        "followup.rules.adopted": _("New follow-up rules adopted"),
        "followup.rules.rejected": _("Proposed follow-up rules declined"),
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
        "base_version": _("Proposed against version"),
        "version": _("Version"),
        "remind_before_days": _("Reminders before the due date (days)"),
        "overdue_every_days": _("Reminders once overdue (every … days)"),
        "escalate_after_days": _("Escalation to the department heads (days)"),
        "escalate_leaders_after_days": _("Escalation to the organisers and leaders (days)"),
        "accepted_by": _("Who accepts finished work"),
    }
)

label_values("kind", {k.value: k.label for k in EscalationKind})
label_values("escalation_stage", {k.value: k.label for k in EscalationStage})
label_values("accepted_by", {k.value: k.label for k in AcceptedBy})
