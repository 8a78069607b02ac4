"""Readable names of the minutes' audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions, label_data_keys

label_actions(
    {
        "minutes.minutes.saved": _("Minutes saved"),
        "minutes.minutes.submitted": _("Minutes submitted for review"),
        "minutes.minutes.approved": _("Minutes approved"),
        "minutes.minutes.returned": _("Minutes returned with a comment"),
        "minutes.minutes.published": _("Minutes published"),
        "minutes.minutes.reopened": _("Approved minutes reopened as a new revision"),
        "minutes.action.created": _("Action item added"),
        "minutes.action.updated": _("Action item changed"),
    }
)

label_data_keys(
    {
        "revision": _("Revision"),
        "sections": _("Sections"),
        "decisions": _("Decisions"),
        "sections_changed": _("Sections changed"),
    }
)
