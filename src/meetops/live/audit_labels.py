"""Readable names of the room's audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions, label_data_keys

label_actions(
    {
        "live.item.started": _("Agenda item started"),
        "live.item.ended": _("Agenda item ended"),
        "live.paused": _("Meeting paused"),
        "live.resumed": _("Meeting resumed"),
        "live.meeting.ended": _("Meeting ended in the room"),
        "live.warning.set": _("Timer warning changed"),
        "live.ticket.reported": _("Problem reported"),
        "live.ticket.acknowledged": _("Problem acknowledged"),
        "live.ticket.resolved": _("Problem resolved"),
        "live.question.asked": _("Question asked"),
        "live.question.voted": _("Question voted for"),
        "live.question.answered": _("Question answered"),
        "live.materials.released": _("Materials released"),
        "live.materials.announced": _("Participants told about the materials"),
        "live.materials.opened": _("Materials opened"),
    }
)
label_data_keys(
    {
        "ticket": _("ticket"),
        "category": _("category"),
        "question": _("question"),
        "anonymous": _("anonymous"),
        "release_at": _("available from"),
        "seconds": _("seconds"),
        "version": _("version"),
        "resolution": _("resolution"),
    }
)
