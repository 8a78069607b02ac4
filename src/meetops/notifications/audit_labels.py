"""Readable names of the notifications' audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions

label_actions(
    {
        "notifications.message.retried": _("Message sent again"),
        "notifications.message.resent": _("Unconfirmed message sent again"),
        "notifications.preferences.changed": _("Notification channels changed"),
        "notifications.robot.saved": _("Group robot saved"),
        "notifications.robot.tested": _("Group robot tested"),
        "notifications.webhook.created": _("Webhook created"),
        "notifications.webhook.saved": _("Webhook saved"),
        "notifications.webhook.secret_rotated": _("Webhook signing secret replaced"),
        "notifications.webhook.tested": _("Webhook tested"),
    }
)
