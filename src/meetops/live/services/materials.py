"""Materials before the start (P3.3): release them now or at a chosen moment, count who opened them.

A release in the future is announced by the worker's job (`jobs.py`) once its
time comes; the announcement is claimed by a conditional update, so two workers
never tell people twice.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from meetops.agenda.models import AgendaItem
from meetops.core import audit
from meetops.core.errors import PermissionDenied
from meetops.live.events import MATERIALS_RELEASED
from meetops.live.models import MaterialOpening, MaterialsRelease
from meetops.live.permissions import can_release_materials
from meetops.live.selectors import recipients_of_materials
from meetops.meetings.models import Meeting
from meetops.notifications.services import enqueue
from meetops.people.models import User


def _announce(release: MaterialsRelease, actor: User | None) -> int:
    """Tell the participants, once: only the caller whose update set `announced_at` sends."""
    now = timezone.now()
    claimed = MaterialsRelease.objects.filter(pk=release.pk, announced_at__isnull=True).update(
        announced_at=now
    )
    if not claimed:
        return 0
    meeting = release.meeting
    return enqueue(
        event=MATERIALS_RELEASED,
        recipients=recipients_of_materials(meeting),
        meeting=meeting,
        actor=actor,
        context={
            "meeting": meeting,
            "note": release.note,
            "url": f"/meetings/{meeting.pk}/materials/",
        },
        dedupe_key=f"{MATERIALS_RELEASED}:{meeting.pk}:{int(release.release_at.timestamp())}",
    )


def release_materials(
    meeting: Meeting, *, actor: User, release_at: datetime | None = None, note: str = ""
) -> MaterialsRelease:
    """Make the materials available to participants now (default) or from `release_at`.

    Moving a release that was not announced yet re-schedules it; one already
    announced keeps its announcement.
    """
    if not can_release_materials(actor, meeting):
        raise PermissionDenied()
    now = timezone.now()
    when = release_at or now
    with transaction.atomic():
        release, created = MaterialsRelease.objects.select_for_update().get_or_create(
            meeting=meeting, defaults={"release_at": when, "released_by": actor, "note": note}
        )
        if not created:
            release.release_at = when
            release.released_by = actor
            release.note = note.strip()[:500]
            release.save(update_fields=["release_at", "released_by", "note"])
        release.meeting = meeting
        audit.record(
            "live.materials.released",
            meeting,
            actor=actor,
            data={"release_at": when.isoformat(), "note": release.note},
        )
        if when <= now:
            _announce(release, actor)
    release.refresh_from_db(fields=["announced_at"])
    return release


def announce_due_releases() -> int:
    """The worker's job: announce releases whose time has come. Returns how many were announced."""
    due = MaterialsRelease.objects.filter(
        announced_at__isnull=True, release_at__lte=timezone.now()
    ).select_related("meeting")
    count = 0
    for release in due:
        with transaction.atomic():
            if _announce(release, release.released_by):
                audit.record("live.materials.announced", release.meeting, actor=None)
                count += 1
    return count


def record_opening(item: AgendaItem, *, actor: User) -> MaterialOpening:
    """Count that `actor` opened the item's materials (the loader checked they may)."""
    now = timezone.now()
    with transaction.atomic():
        opening, created = MaterialOpening.objects.get_or_create(
            item=item, user=actor, defaults={"first_opened_at": now, "last_opened_at": now}
        )
        if not created:
            MaterialOpening.objects.filter(pk=opening.pk).update(
                count=F("count") + 1, last_opened_at=now
            )
        audit.record("live.materials.opened", item.meeting, actor=actor, data={"item": item.pk})
    return opening
