"""Completion rules of the archive: P4.1 (materials filed) and P7.9 (the dossier is complete)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.completion import completion_rule
from meetops.meetings.models import Meeting
from meetops.records.models import Document, Dossier
from meetops.records.selectors import missing_categories


@completion_rule("records.filed", _("The meeting's materials are filed in the archive"))
def filed(meeting: Meeting) -> bool:
    return Document.objects.filter(dossier__meeting=meeting).exists()


@completion_rule(
    "records.complete", _("The dossier holds every category its meeting kind requires")
)
def complete(meeting: Meeting) -> bool:
    dossier = Dossier.objects.filter(meeting=meeting).select_related("meeting").first()
    return dossier is not None and not missing_categories(dossier)
