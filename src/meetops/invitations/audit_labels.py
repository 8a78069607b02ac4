"""Readable names of the invitations' audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions

label_actions(
    {
        "invitations.invitations.sent": _("Invitations sent"),
        "invitations.update.sent": _("Meeting update sent"),
        "invitations.cancellation.sent": _("Cancellation sent"),
        "invitations.invitation.revoked": _("Invitation revoked"),
        "invitations.reminders.sent": _("Reminders sent"),
        "invitations.rsvp.answered": _("Invitation answered"),
        "invitations.rsvp.mail_noted": _("Calendar reply received, answer unchanged"),
        "invitations.rsvp.mail_refused": _("Calendar reply refused"),
        "invitations.deadline.set": _("Answer deadline set"),
        "invitations.substitute.accepted": _("Substitute accepted"),
        "invitations.substitute.refused": _("Substitute refused"),
        "invitations.registration.configured": _("Public registration changed"),
        "invitations.registration.created": _("Registered on the public page"),
        "invitations.registration.promoted": _("Moved up from the waiting list"),
        "invitations.template.saved": _("Invitation template saved"),
        "invitations.group.created": _("Group created"),
        "invitations.group.updated": _("Group changed"),
        "invitations.group.members_added": _("Group members added"),
        "invitations.group.members_removed": _("Group members removed"),
        "invitations.group.deleted": _("Group deleted"),
        "invitations.feed.reset": _("Calendar link renewed"),
        "invitations.meeting_feed.reset": _("Meeting calendar link renewed"),
        "meetings.participant.updated": _("Participant changed"),
        "meetings.participant.duties_given": _("Duties given"),
        "meetings.participants.added": _("Participants added"),
        "meetings.participants.imported": _("Participants imported"),
    }
)
