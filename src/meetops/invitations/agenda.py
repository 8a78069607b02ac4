"""The meeting's agenda, when the agenda app is installed (it is optional for invitations).

We do not import the agenda app: we look for its model that points at a
meeting and read `title` (and `start`, `presenter` when present) in the
model's own order.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

from meetops.meetings.models import Meeting


def _agenda_model() -> type[models.Model] | None:
    if not apps.is_installed("meetops.agenda"):
        return None
    for model in apps.get_app_config("agenda").get_models():
        names = {f.name for f in model._meta.get_fields()}
        meeting_fk = any(
            isinstance(f, models.ForeignKey) and f.related_model is Meeting
            for f in model._meta.get_fields()
        )
        if meeting_fk and "title" in names:
            return model
    return None


def agenda_items(meeting: Meeting) -> list[str]:
    """Agenda lines ("title — presenter") in order; empty when there is no agenda app or agenda."""
    model = _agenda_model()
    if model is None:
        return []
    fk = next(
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.ForeignKey) and f.related_model is Meeting
    )
    lines = []
    for item in model._default_manager.filter(**{fk: meeting}):
        presenter = getattr(item, "presenter", None) or getattr(item, "presenter_name", "")
        title = str(getattr(item, "title", ""))
        lines.append(f"{title} — {presenter}" if presenter else title)
    return lines
