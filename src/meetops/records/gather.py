"""What filing a meeting collects from the other apps (P4.1): each app declares its archive
sources in its `contributions.py` (the registry's "archive" store); each source returns the
files it has for the meeting, nothing when it has none. This module names no app.

Only final versions are taken: minutes once approved, the summary report once approved.
Filing again later adds what has appeared since (each source is taken once per dossier).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from meetops.core.archive import Found
from meetops.core.registry import ArchiveSource, registry
from meetops.meetings.models import Meeting
from meetops.people.models import User

__all__ = ["Found", "Gathered", "gather"]


@dataclass(frozen=True)
class Gathered:
    source: str  # stable key, e.g. "minutes.pdf", "agenda.material:12"
    category: str  # Category.code
    title: str
    ext: str
    data: bytes


def gather(
    meeting: Meeting,
    actor: User,
    *,
    skip: set[str],
    progress: Callable[[int, int], None] | None = None,
) -> list[Gathered]:
    """Every file the meeting has produced so far, except the sources in `skip` (not rendered).

    `progress(done, total)` is told after each file is made (rendering is most of filing's time).
    """
    gathered: list[Gathered] = []
    sources: list[ArchiveSource] = registry["archive"].ordered()
    # Titles and generated documents in the organisation's language, whoever files.
    with translation.override(settings.LANGUAGE_CODE):
        wanted = [
            f for source in sources for f in source.load()(meeting, actor) if f.source not in skip
        ]
        if progress:
            progress(0, len(wanted))
        for done, f in enumerate(wanted, start=1):
            data = f.make()
            if data is not None:
                gathered.append(Gathered(f.source, f.category, f.title, f.ext, data))
            if progress:
                progress(done, len(wanted))
    return gathered
