"""Readable names of identity's audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions

label_actions(
    {
        "identity.person.created": _("Account created from an identity provider"),
        "identity.person.updated": _("Account updated from an identity provider"),
        "identity.person.deactivated": _("Account deactivated"),
        "identity.person.reactivated": _("Account reactivated"),
        "identity.link.created": _("Outside account linked"),
        "identity.link.removed": _("Outside account unlinked"),
        "identity.department.created": _("Department created from the directory"),
        "identity.department.updated": _("Department updated from the directory"),
        "identity.sync.finished": _("Directory sync finished"),
        "identity.sync.started": _("Directory sync started"),
    }
)
