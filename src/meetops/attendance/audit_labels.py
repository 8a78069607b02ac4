"""Readable names of the sign-in desk's audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions

label_actions(
    {
        "attendance.signin.created": _("Signed in"),
        "attendance.signin.undone": _("Sign-in undone"),
        "attendance.settings.updated": _("Sign-in settings changed"),
    }
)
