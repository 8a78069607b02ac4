"""Readable names of this app's audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions, label_data_keys

label_actions(
    {
        "improvement.lesson.recorded": _("Lesson recorded"),
        "improvement.lesson.updated": _("Lesson changed"),
        "improvement.lesson.deleted": _("Lesson deleted"),
        "improvement.measure.created": _("Improvement measure planned"),
        "improvement.measure.updated": _("Improvement measure changed"),
        "improvement.measure.in_progress": _("Improvement measure started"),
        "improvement.measure.done": _("Improvement measure done"),
        "improvement.measure.dropped": _("Improvement measure dropped"),
        "improvement.measure.reviewed": _("Effect of an improvement measure reviewed"),
        "improvement.case.nominated": _("Case nominated"),
        "improvement.case.updated": _("Case changed"),
        "improvement.case.submitted": _("Case submitted for approval"),
        "improvement.case.published": _("Case published"),
        "improvement.case.returned": _("Case returned"),
        "improvement.case.shared": _("Case shared at this meeting"),
        "improvement.case.used_as_template": _("Meeting started from a case"),
    }
)
label_data_keys(
    {
        "lesson": _("lesson"),
        "lessons": _("lessons"),
        "measure": _("improvement measure"),
        "case": _("case"),
        "effect": _("effect"),
        "category": _("category"),
        "from_meeting": _("from meeting"),
        "result_note": _("result"),
        "evidence": _("evidence"),
        "drop_reason": _("reason for dropping"),
    }
)
