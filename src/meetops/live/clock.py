"""Planned against actual: where the meeting stands, how late it runs, and where to catch up.

Pure computation over the agenda's slots, the timings and the session; nothing
here touches the database. `now` is passed in so tests and the API agree on it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from meetops.agenda.schedule import Slot
from meetops.live.models import DEFAULT_WARN_SECONDS, ItemTiming, LiveSession, LiveState

# A suggestion never shortens an upcoming item below this share of its planned time.
KEEP_SHARE = 0.5


@dataclass(frozen=True)
class ItemClock:
    """One agenda item: its planned slot and what happened."""

    slot: Slot
    timing: ItemTiming | None
    status: str  # pending, running, paused, done
    elapsed_seconds: int

    @property
    def item_id(self) -> int:
        return self.slot.item.pk

    @property
    def planned_seconds(self) -> int:
        minutes = self.timing.planned_minutes if self.timing else self.slot.item.duration_minutes
        return minutes * 60

    @property
    def remaining_seconds(self) -> int:
        return self.planned_seconds - self.elapsed_seconds

    @property
    def overrun_seconds(self) -> int:
        return max(0, self.elapsed_seconds - self.planned_seconds) if self.timing else 0

    @property
    def start_delay_seconds(self) -> int | None:
        """Actual start against planned start; positive = late."""
        if self.timing is None:
            return None
        return int((self.timing.started_at - self.slot.start).total_seconds())


@dataclass(frozen=True)
class Suggestion:
    """Shorten an upcoming item by `cut_minutes` to get back on time."""

    item_id: int
    title: str
    planned_minutes: int
    cut_minutes: int

    @property
    def suggested_minutes(self) -> int:
        return self.planned_minutes - self.cut_minutes


@dataclass(frozen=True)
class Board:
    """The whole picture a console, timer or API reads."""

    state: str
    version: int
    warn_seconds: int
    items: list[ItemClock]
    current: ItemClock | None
    started_at: datetime | None
    ended_at: datetime | None
    planned_end: datetime | None
    projected_end: datetime | None
    suggestions: list[Suggestion]
    uncovered_seconds: int  # lateness the suggestions cannot absorb

    @property
    def drift_seconds(self) -> int:
        """Projected end against planned end: positive = running late, negative = early."""
        if self.planned_end is None or self.projected_end is None:
            return 0
        return int((self.projected_end - self.planned_end).total_seconds())

    @property
    def total_overrun_seconds(self) -> int:
        return sum(c.overrun_seconds for c in self.items)

    @property
    def overrun_items(self) -> int:
        return sum(1 for c in self.items if c.overrun_seconds > 0)

    @property
    def phase(self) -> str:
        """For the timer: idle, normal, warning (amber), over (red)."""
        if self.current is None:
            return "idle"
        if self.current.remaining_seconds < 0:
            return "over"
        if self.current.remaining_seconds <= self.warn_seconds:
            return "warning"
        return "normal"

    @property
    def next_item(self) -> ItemClock | None:
        return next((c for c in self.items if c.status == "pending"), None)


def _elapsed(timing: ItemTiming, *, now: datetime, paused_at: datetime | None) -> int:
    end = timing.ended_at or paused_at or now
    return max(0, int((end - timing.started_at).total_seconds()) - timing.paused_seconds)


def _status(timing: ItemTiming | None, session: LiveSession | None, item_id: int) -> str:
    if timing is None:
        return "pending"
    if timing.ended_at is not None:
        return "done"
    if session is not None and session.state == LiveState.PAUSED:
        return "paused" if session.current_item_id == item_id else "running"
    return "running"


def _projected_end(
    session: LiveSession | None,
    items: Sequence[ItemClock],
    current: ItemClock | None,
    now: datetime,
) -> datetime | None:
    if not items:
        return None
    if session is not None and session.state == LiveState.ENDED and session.ended_at:
        return session.ended_at
    cursor = now
    if current is not None:
        cursor += timedelta(seconds=max(0, current.remaining_seconds))
    for clock in items:
        if clock.status != "pending":
            continue
        if clock.slot.fixed or (session is None or session.state == LiveState.NOT_STARTED):
            cursor = max(cursor, clock.slot.start)
        cursor += timedelta(seconds=clock.planned_seconds)
    return cursor


def suggest_cuts(items: Sequence[ItemClock], late_seconds: int) -> tuple[list[Suggestion], int]:
    """Spread the lateness over the upcoming items, in proportion to their length.

    Each keeps at least half its planned time; what cannot be absorbed is returned.
    """
    pending = [c for c in items if c.status == "pending"]
    if late_seconds <= 0 or not pending:
        return [], max(0, late_seconds)
    late_minutes = math.ceil(late_seconds / 60)
    total = sum(c.slot.item.duration_minutes for c in pending)
    suggestions: list[Suggestion] = []
    left = late_minutes
    for clock in pending:
        minutes = clock.slot.item.duration_minutes
        room = int(minutes * (1 - KEEP_SHARE))
        cut = min(room, math.ceil(late_minutes * minutes / total), left)
        if cut > 0:
            suggestions.append(Suggestion(clock.item_id, clock.slot.item.title, minutes, cut))
            left -= cut
    return suggestions, left * 60


def build_board(
    slots: Sequence[Slot],
    timings: dict[int, ItemTiming],
    session: LiveSession | None,
    *,
    now: datetime,
) -> Board:
    """Planned against actual for every item, with the drift and the catch-up suggestions."""
    paused_at = session.paused_at if session and session.state == LiveState.PAUSED else None
    items: list[ItemClock] = []
    current: ItemClock | None = None
    for slot in slots:
        timing = timings.get(slot.item.pk)
        elapsed = 0
        if timing is not None:
            running_here = session is not None and session.current_item_id == slot.item.pk
            elapsed = _elapsed(timing, now=now, paused_at=paused_at if running_here else None)
        clock = ItemClock(slot, timing, _status(timing, session, slot.item.pk), elapsed)
        items.append(clock)
        if (
            session is not None
            and session.current_item_id == slot.item.pk
            and clock.status != "done"
        ):
            current = clock
    planned_end = max((s.end for s in slots), default=None)
    projected = _projected_end(session, items, current, now)
    late = int((projected - planned_end).total_seconds()) if projected and planned_end else 0
    suggestions, uncovered = suggest_cuts(items, late)
    return Board(
        state=session.state if session else LiveState.NOT_STARTED,
        version=session.version if session else 0,
        warn_seconds=session.warn_seconds if session else DEFAULT_WARN_SECONDS,
        items=items,
        current=current,
        started_at=session.started_at if session else None,
        ended_at=session.ended_at if session else None,
        planned_end=planned_end,
        projected_end=projected,
        suggestions=suggestions,
        uncovered_seconds=uncovered,
    )


def clock_text(seconds: int) -> str:
    """`12:05`, `1:02:03`; the sign is the caller's to show."""
    seconds = abs(int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
