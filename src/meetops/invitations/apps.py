from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvitationsConfig(AppConfig):
    name = "meetops.invitations"
    label = "invitations"
    verbose_name = _("Invitations and RSVP")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.apps import apps

        from meetops.invitations import receivers  # ready(): the receivers connect when imported

        if apps.is_installed("meetops.notifications"):
            # Only when notifications is installed (ready() runs after every app is loaded).
            from meetops.notifications.receivers import register_personal_mailer

            # Invitees get their personal update/CANCEL with its .ics, not a second, generic mail.
            register_personal_mailer(receivers.personally_mailed)
