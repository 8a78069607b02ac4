"""Readable names of workim's audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions

label_actions(
    {
        "workim.config.saved": _("Work IM settings saved"),
        "workim.config.tested": _("Work IM connection tested"),
        "workim.preference.changed": _("Work IM messages switched on or off"),
    }
)
