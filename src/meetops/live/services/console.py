"""The host's console: start, pause, resume, next, end (P3.4, P3.5).

Every move locks the meeting's `LiveSession` row, checks the version the caller
saw (when given), changes the timings and bumps the version, then audits. Two
devices pressing "next" with the same version: the second gets
`live_state_changed` and nothing moves twice. `ItemTiming.item` is unique, so
an item is never timed twice.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from meetops.agenda.models import AgendaItem
from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.live import errors
from meetops.live.models import ItemTiming, LiveSession, LiveState
from meetops.live.permissions import can_run_console
from meetops.meetings.models import Meeting
from meetops.people.models import User


def _lock(meeting: Meeting, actor: User, expected_version: int | None) -> LiveSession:
    if not can_run_console(actor, meeting):
        raise PermissionDenied()
    LiveSession.objects.get_or_create(meeting=meeting)
    session = LiveSession.objects.select_for_update().get(meeting=meeting)
    if expected_version is not None and session.version != expected_version:
        raise errors.state_changed(session.version)
    return session


def _finish_current(session: LiveSession, now: datetime) -> AgendaItem | None:
    """End the running item (adding a pause in progress to its paused time)."""
    if session.current_item_id is None:
        return None
    timing = ItemTiming.objects.select_for_update().get(item_id=session.current_item_id)
    if session.state == LiveState.PAUSED and session.paused_at:
        timing.paused_seconds += int((now - session.paused_at).total_seconds())
    timing.ended_at = now
    timing.save(update_fields=["ended_at", "paused_seconds"])
    item = session.current_item
    session.current_item = None
    session.paused_at = None
    session.state = LiveState.RUNNING
    return item


def _save(session: LiveSession, action: str, actor: User, **data: object) -> LiveSession:
    session.version += 1
    session.save()
    audit.record(action, session.meeting, actor=actor, data={**data, "version": session.version})
    return session


def _begin(session: LiveSession, item: AgendaItem, actor: User, now: datetime) -> None:
    if session.state == LiveState.ENDED:
        raise errors.ended()
    if ItemTiming.objects.filter(item=item).exists():
        raise errors.item_done(item.pk)
    _finish_current(session, now)
    ItemTiming.objects.create(
        meeting_id=session.meeting_id,
        item=item,
        planned_minutes=item.duration_minutes,
        started_at=now,
        started_by=actor,
    )
    session.current_item = item
    session.state = LiveState.RUNNING
    session.started_at = session.started_at or now


def start_item(
    meeting: Meeting,
    *,
    item: AgendaItem,
    actor: User,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> LiveSession:
    """Start `item` now, ending the one running. Refused once the item was timed or the meeting ended.

    Starting the item that is already running changes nothing.
    """
    now = at or timezone.now()
    with transaction.atomic():
        session = _lock(meeting, actor, expected_version)
        if session.current_item_id == item.pk:
            return session
        _begin(session, item, actor, now)
        return _save(session, "live.item.started", actor, item=item.pk, title=item.title)


def next_item(
    meeting: Meeting,
    *,
    actor: User,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> LiveSession:
    """End the running item and start the first agenda item not yet taken.

    After the last item the meeting stays running with nothing on stage (the host ends it).
    """
    now = at or timezone.now()
    with transaction.atomic():
        session = _lock(meeting, actor, expected_version)
        if session.state == LiveState.ENDED:
            raise errors.ended()
        upcoming = (
            AgendaItem.objects.filter(meeting=meeting, timing__isnull=True)
            .order_by("order", "id")
            .first()
        )
        if upcoming is None:
            finished = _finish_current(session, now)
            if finished is None:
                raise errors.no_next_item()
            return _save(session, "live.item.ended", actor, item=finished.pk)
        _begin(session, upcoming, actor, now)
        return _save(session, "live.item.started", actor, item=upcoming.pk, title=upcoming.title)


def end_item(
    meeting: Meeting,
    *,
    actor: User,
    item: AgendaItem | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> LiveSession:
    """End the running item (if `item` is given, it must be the one running)."""
    now = at or timezone.now()
    with transaction.atomic():
        session = _lock(meeting, actor, expected_version)
        if session.current_item_id is None:
            raise errors.not_running()
        if item is not None and item.pk != session.current_item_id:
            raise errors.not_current(item.pk)
        finished = _finish_current(session, now)
        assert finished is not None
        return _save(session, "live.item.ended", actor, item=finished.pk)


def pause(
    meeting: Meeting,
    *,
    actor: User,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> LiveSession:
    """Stop the running item's clock (a break, a technical problem)."""
    now = at or timezone.now()
    with transaction.atomic():
        session = _lock(meeting, actor, expected_version)
        if session.state != LiveState.RUNNING or session.current_item_id is None:
            raise errors.not_running()
        session.state = LiveState.PAUSED
        session.paused_at = now
        return _save(session, "live.paused", actor, item=session.current_item_id)


def resume(
    meeting: Meeting,
    *,
    actor: User,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> LiveSession:
    """Run the paused item's clock again; the pause does not count against its time."""
    now = at or timezone.now()
    with transaction.atomic():
        session = _lock(meeting, actor, expected_version)
        if session.state != LiveState.PAUSED or session.paused_at is None:
            raise errors.not_paused()
        timing = ItemTiming.objects.select_for_update().get(item_id=session.current_item_id)
        timing.paused_seconds += int((now - session.paused_at).total_seconds())
        timing.save(update_fields=["paused_seconds"])
        session.state = LiveState.RUNNING
        session.paused_at = None
        return _save(session, "live.resumed", actor, item=session.current_item_id)


def end_meeting(
    meeting: Meeting,
    *,
    actor: User,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> LiveSession:
    """End the running item and record the meeting's actual end."""
    now = at or timezone.now()
    with transaction.atomic():
        session = _lock(meeting, actor, expected_version)
        if session.state == LiveState.ENDED:
            raise errors.ended()
        _finish_current(session, now)
        session.state = LiveState.ENDED
        session.started_at = session.started_at or now
        session.ended_at = now
        return _save(session, "live.meeting.ended", actor)


def set_warning(meeting: Meeting, *, actor: User, seconds: int) -> LiveSession:
    """When the timer turns amber: `seconds` before the item's time is up (0–1800)."""
    if not 0 <= seconds <= 1800:
        raise ValidationFailed(_warning_message(), "invalid_warning", seconds=seconds)
    with transaction.atomic():
        session = _lock(meeting, actor, None)
        session.warn_seconds = seconds
        return _save(session, "live.warning.set", actor, seconds=seconds)


def _warning_message() -> str:
    from django.utils.translation import gettext

    return gettext("The warning must be between 0 and 30 minutes.")
