"""Readable names of this app's audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions, label_data_keys

label_actions(
    {
        "training.need.created": _("Training need added"),
        "training.need.updated": _("Training need changed"),
        "training.course.created": _("Course added"),
        "training.course.updated": _("Course changed"),
        "training.material.added": _("Course material added"),
        "training.material.removed": _("Course material removed"),
        "training.session.linked": _("Training meeting held as a course"),
        "training.session.unlinked": _("Training meeting no longer held as a course"),
        "training.record.entered": _("External training entered"),
        "training.record.certificate_attached": _("Training certificate uploaded"),
        "training.record.verified": _("External training verified"),
        "training.record.rejected": _("External training not accepted"),
    }
)
label_data_keys(
    {
        "course": _("course"),
        "material": _("course material"),
        "issuer": _("issued by"),
        "completed_on": _("completed on"),
        "hours": _("hours"),
        "needs": _("needs it meets"),
        "certificate": _("certificate"),
        "refresher_months": _("refresher after (months)"),
        "duty": _("duty"),
    }
)
