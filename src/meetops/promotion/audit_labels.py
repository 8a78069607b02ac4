"""Readable names of the announcements' audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions, label_data_keys

label_actions(
    {
        "promotion.announcement.published": _("Announcement published"),
        "promotion.announcement.republished": _("Announcement published again"),
        "promotion.announcement.reached_later": _(
            "Announcement sent to a person who joined its audience later"
        ),
    }
)

label_data_keys(
    {
        "announcement": _("announcement"),
        "public_page": _("on the public page"),
        "new_recipients": _("people newly reached"),
        "via": _("reached through"),
    }
)
