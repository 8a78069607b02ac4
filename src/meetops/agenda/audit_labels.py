"""Readable names of the agenda's audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions

label_actions(
    {
        "agenda.agenda.replaced": _("Agenda replaced"),
        "agenda.agenda.reordered": _("Agenda reordered"),
        "agenda.item.created": _("Agenda item added"),
        "agenda.item.updated": _("Agenda item changed"),
        "agenda.item.deleted": _("Agenda item deleted"),
    }
)
