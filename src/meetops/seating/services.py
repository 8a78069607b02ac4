"""Every write of the seating: plans and their grid, seats placed by hand, automatic protocol order.

Each write locks the plan row first, so two people arranging one plan take
turns; the unique constraints (one person per seat, one seat per person and
plan) are the backstop.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import NotFound, PermissionDenied, ValidationFailed
from meetops.meetings.models import Meeting, MeetingRole, Participant
from meetops.people.models import Role, RoleAssignment, User
from meetops.seating import errors, notify, protocol, selectors
from meetops.seating.models import (
    MAX_COLUMNS,
    MAX_ROSTRUM_ROWS,
    MAX_ROSTRUM_SEATS,
    MAX_ROWS,
    Seat,
    SeatAssignment,
    SeatKind,
    SeatPlan,
    Section,
)
from meetops.seating.permissions import can_arrange_seating

LAYOUT_FIELDS = ["name", "rostrum_rows", "rostrum_seats", "rows", "columns", "aisle_columns"]
ROSTRUM_SEATS_BY_LAYOUT = {"theatre": 9, "classroom": 7, "boardroom": 5, "u_shape": 3}


@dataclass(frozen=True)
class CellSpec:
    """A cell that differs from a plain seat: blocked, an aisle, or reserved (with a note)."""

    section: str
    row: int
    col: int
    kind: str = SeatKind.SEAT
    reserved: bool = False
    note: str = ""


@dataclass(frozen=True)
class GridSize:
    rostrum_rows: int
    rostrum_seats: int
    rows: int
    columns: int
    aisle_columns: tuple[int, ...] = ()


@dataclass
class AutoResult:
    assigned: int = 0
    kept: int = 0
    unseated: list[Participant] = field(default_factory=list)


def _check(actor: User, meeting: Meeting) -> None:
    if not can_arrange_seating(actor, meeting):
        raise PermissionDenied()


def suggest_size(capacity: int, layout: str = "theatre") -> GridSize:
    """A grid for a room of this capacity: about twice as wide as deep, a centre aisle when wide."""
    capacity = max(1, min(capacity, MAX_ROWS * (MAX_COLUMNS - 1)))
    per_row = max(4, min(MAX_COLUMNS - 1, math.ceil(math.sqrt(capacity * 2))))
    rows = min(MAX_ROWS, math.ceil(capacity / per_row))
    aisles: tuple[int, ...] = ()
    if per_row >= 10 and layout in ("theatre", "classroom"):
        aisles = (per_row // 2 + 1,)
    rostrum = min(ROSTRUM_SEATS_BY_LAYOUT.get(layout, 5), per_row)
    return GridSize(1, rostrum, rows, per_row + len(aisles), aisles)


def _validate(size: GridSize) -> None:
    limits = [
        (size.rostrum_rows, 0, MAX_ROSTRUM_ROWS, _("Rostrum rows")),
        (size.rostrum_seats, 0, MAX_ROSTRUM_SEATS, _("Seats per rostrum row")),
        (size.rows, 1, MAX_ROWS, _("Audience rows")),
        (size.columns, 1, MAX_COLUMNS, _("Columns")),
    ]
    for value, low, high, label in limits:
        if not low <= value <= high:
            raise errors.bad_size(label, high, low)
    if size.rostrum_rows and not size.rostrum_seats:
        raise errors.bad_size(_("Seats per rostrum row"), MAX_ROSTRUM_SEATS, 1)
    if any(not 1 <= c <= size.columns for c in size.aisle_columns):
        raise ValidationFailed(
            _("Aisle columns must lie inside the grid."), "invalid_aisle", field="aisle_columns"
        )


def _cells(size: GridSize) -> list[tuple[str, int, int, str]]:
    """Every cell of the grid: (section, row, column, default kind)."""
    cells: list[tuple[str, int, int, str]] = [
        (Section.ROSTRUM, row, col, SeatKind.SEAT)
        for row in range(1, size.rostrum_rows + 1)
        for col in range(1, size.rostrum_seats + 1)
    ]
    cells += [
        (
            Section.AUDIENCE,
            row,
            col,
            SeatKind.AISLE if col in size.aisle_columns else SeatKind.SEAT,
        )
        for row in range(1, size.rows + 1)
        for col in range(1, size.columns + 1)
    ]
    return cells


def _renumber(seats: Iterable[Seat]) -> None:
    """Number the seats of each row left to right as the audience sees them; aisles get none."""
    counters: dict[tuple[str, int], int] = {}
    for seat in sorted(seats, key=lambda s: (s.section, s.row, s.col)):
        if seat.kind == SeatKind.AISLE:
            seat.number = None
            continue
        key = (seat.section, seat.row)
        counters[key] = counters.get(key, 0) + 1
        seat.number = counters[key]


def _default_size(meeting: Meeting, room: Any) -> GridSize:
    if room is not None:
        return suggest_size(room.capacity, room.layout)
    people = meeting.expected_attendance or meeting.participants.count() or 20
    return suggest_size(people)


def create_plan(
    meeting: Meeting,
    *,
    actor: User,
    room: Any = None,
    name: str = "",
    size: GridSize | None = None,
) -> SeatPlan:
    """A plan for the meeting (in `room`, else its one booked room if it has exactly one).

    Without `size` the grid comes from the room's capacity and layout, or from
    the expected attendance. One plan per room (and one without a room).
    """
    _check(actor, meeting)
    if room is None:
        booked = list(selectors.booked_rooms(meeting))
        room = booked[0] if len(booked) == 1 else None
    size = size or _default_size(meeting, room)
    _validate(size)
    name = (name or (room.name if room is not None else "") or _("Seat plan")).strip()[:200]
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        if SeatPlan.objects.filter(meeting=meeting, room=room).exists():
            raise errors.plan_exists()
        try:
            with transaction.atomic():
                plan = SeatPlan.objects.create(
                    meeting=meeting,
                    room=room,
                    name=name,
                    rostrum_rows=size.rostrum_rows,
                    rostrum_seats=size.rostrum_seats,
                    rows=size.rows,
                    columns=size.columns,
                    aisle_columns=sorted(set(size.aisle_columns)),
                    created_by=actor,
                )
        except IntegrityError as exc:
            raise errors.plan_exists() from exc
        seats = [
            Seat(plan=plan, section=section, row=row, col=col, kind=kind)
            for section, row, col, kind in _cells(size)
        ]
        _renumber(seats)
        Seat.objects.bulk_create(seats)
        audit.record(
            "seating.plan.created",
            plan,
            actor=actor,
            data={
                "meeting": meeting.pk,
                "room": room.pk if room is not None else None,
                **audit.snapshot(plan, LAYOUT_FIELDS),
            },
        )
    return plan


def _lock(plan: SeatPlan) -> SeatPlan:
    locked = SeatPlan.objects.select_for_update().filter(pk=plan.pk).first()
    if locked is None:
        raise NotFound()
    locked.meeting = plan.meeting
    return locked


def update_layout(
    plan: SeatPlan,
    *,
    actor: User,
    size: GridSize,
    name: str | None = None,
    cells: Sequence[CellSpec] | None = None,
) -> SeatPlan:
    """Resize the grid and set every special cell (blocked, aisle, reserved); the rest become plain seats.

    Refused (`seat_in_use`) when a seat someone sits on would vanish or stop being a seat.
    """
    _check(actor, plan.meeting)
    _validate(size)
    specs = {(c.section, c.row, c.col): c for c in cells or ()}
    with transaction.atomic():
        plan = _lock(plan)
        before = audit.snapshot(plan, LAYOUT_FIELDS)
        existing = {(s.section, s.row, s.col): s for s in plan.seats.all()}
        cells_before = {key: (s.kind, s.reserved, s.note) for key, s in existing.items()}
        occupied = set(SeatAssignment.objects.filter(plan=plan).values_list("seat_id", flat=True))
        wanted: dict[tuple[str, int, int], Seat] = {}
        for section, row, col, kind in _cells(size):
            spec = specs.get((section, row, col))
            seat = existing.get((section, row, col)) or Seat(
                plan=plan, section=section, row=row, col=col
            )
            seat.kind = spec.kind if spec else kind
            seat.reserved = bool(spec and spec.reserved and seat.kind == SeatKind.SEAT)
            seat.note = (spec.note if spec else "")[:100]
            wanted[(section, row, col)] = seat
        lost = [s for k, s in existing.items() if k not in wanted and s.pk in occupied]
        lost += [s for s in wanted.values() if s.pk in occupied and s.kind != SeatKind.SEAT]
        if lost:
            raise errors.seat_in_use([s.label for s in lost])
        plan.rostrum_rows, plan.rostrum_seats = size.rostrum_rows, size.rostrum_seats
        plan.rows, plan.columns = size.rows, size.columns
        plan.aisle_columns = sorted(set(size.aisle_columns))
        if name is not None and name.strip():
            plan.name = name.strip()[:200]
        changes = audit.diff(before, audit.snapshot(plan, LAYOUT_FIELDS))
        cells_after = {key: (s.kind, s.reserved, s.note) for key, s in wanted.items()}
        audit.note_outcome(
            plan, {**changes, **({"cells": True} if cells_after != cells_before else {})}
        )
        if audit.nothing_changed(plan):  # the same grid and cells: nothing written
            return plan
        _renumber(wanted.values())
        Seat.objects.filter(pk__in=[s.pk for k, s in existing.items() if k not in wanted]).delete()
        Seat.objects.bulk_create([s for s in wanted.values() if s.pk is None])
        Seat.objects.bulk_update(
            [s for s in wanted.values() if s.pk is not None], ["kind", "reserved", "note", "number"]
        )
        plan.save(update_fields=[*LAYOUT_FIELDS, "updated_at"])
        audit.record(
            "seating.plan.updated",
            plan,
            actor=actor,
            changes=changes,
            data={"special_cells": len(specs)},
        )
    return plan


def set_seat(
    plan: SeatPlan, *, actor: User, seat: Seat, kind: str, reserved: bool = False, note: str = ""
) -> Seat:
    """Make one cell a seat, an aisle or a blocked place; reserve a seat (with a note, e.g. 媒体)."""
    _check(actor, plan.meeting)
    if kind not in SeatKind.values:
        raise ValidationFailed(_("Unknown kind of seat."), "invalid_kind", field="kind")
    with transaction.atomic():
        plan = _lock(plan)
        locked = Seat.objects.filter(plan=plan, pk=seat.pk).first()
        if locked is None:
            raise NotFound()
        seat = locked
        if kind != SeatKind.SEAT and seat.assignments.exists():
            raise errors.seat_in_use([seat.label])
        before = audit.snapshot(seat, ["kind", "reserved", "note"])
        seat.kind, seat.reserved, seat.note = kind, reserved and kind == SeatKind.SEAT, note[:100]
        changes = audit.record_changes(
            "seating.seat.changed",
            plan,
            actor=actor,
            before=before,
            after=audit.snapshot(seat, ["kind", "reserved", "note"]),
            data={"seat": seat.pk, "label": seat.label},
        )
        audit.note_outcome(seat, changes)
        if changes:
            row = list(plan.seats.filter(section=seat.section, row=seat.row))
            row = [seat if s.pk == seat.pk else s for s in row]
            _renumber(row)
            Seat.objects.bulk_update(row, ["kind", "reserved", "note", "number"])
    return seat


def set_precedence(plan: SeatPlan, *, actor: User, participant_ids: Sequence[int]) -> SeatPlan:
    """The rostrum's protocol order: participant ids, rank 1 first. Empty: hosts, leaders, speakers."""
    _check(actor, plan.meeting)
    ids = list(dict.fromkeys(participant_ids))
    known = selectors.participants_by_id(plan.meeting, ids)
    if len(known) != len(ids):
        raise errors.not_on_meeting()
    with transaction.atomic():
        plan = _lock(plan)
        changes = audit.record_changes(
            "seating.plan.precedence_set",
            plan,
            actor=actor,
            before={"precedence": list(plan.precedence)},
            after={"precedence": ids},
        )
        audit.note_outcome(plan, changes)
        if changes:
            plan.precedence = ids
            plan.save(update_fields=["precedence", "updated_at"])
    return plan


def assign_seat(
    plan: SeatPlan,
    *,
    actor: User,
    seat: Seat,
    participant: Participant,
    notify_person: bool = False,
) -> SeatAssignment:
    """Put a person on a seat by hand, moving them if they sat elsewhere in this meeting.

    Refused when the seat is an aisle or blocked (`seat_unavailable`) or
    someone else sits there (`seat_taken`). Reserved seats may be given by hand.
    """
    _check(actor, plan.meeting)
    if participant.meeting_id != plan.meeting_id:
        raise errors.not_on_meeting()
    with transaction.atomic():
        plan = _lock(plan)
        locked = Seat.objects.filter(plan=plan, pk=seat.pk).first()
        if locked is None:
            raise NotFound()
        seat = locked
        if seat.kind != SeatKind.SEAT:
            raise errors.seat_unavailable(seat.label)
        holder = SeatAssignment.objects.filter(seat=seat).select_related("participant").first()
        if holder is not None and holder.participant_id != participant.pk:
            raise errors.seat_taken(seat.label, holder.participant.display_name)
        if holder is not None:
            return holder
        previous = (
            SeatAssignment.objects.filter(
                participant__in=Participant.objects.filter(selectors.same_person(participant)),
                plan__meeting=plan.meeting,
            )
            .select_related("seat")
            .first()
        )
        if previous is not None:
            previous.delete()
        try:
            with transaction.atomic():
                assignment = SeatAssignment.objects.create(
                    plan=plan, seat=seat, participant=participant, manual=True, assigned_by=actor
                )
        except IntegrityError as exc:
            raise errors.seat_taken(seat.label, "—") from exc
        audit.record(
            "seating.seat.assigned",
            plan,
            actor=actor,
            data={
                "participant": participant.pk,
                "name": participant.display_name,
                "seat": seat.label,
                "from": previous.seat.label if previous is not None else "",
            },
        )
        if notify_person:
            notify.tell_seat(participant, seat=seat, meeting=plan.meeting, actor=actor)
    return assignment


def seat_walk_in(
    participant: Participant, *, actor: User, instead_of: Participant | None = None
) -> Seat | None:
    """A walk-in admitted at the desk gets a seat when the meeting uses a seating plan (issue 16
    finding 3): the seat of the person they came in place of, else the first free, unreserved
    audience seat from the front. None without a plan or a free seat.

    The desk's admission is the authority (its caller checked `can_admit_walk_ins`); desk staff
    need not be able to arrange the plan.
    """
    plan = selectors.plans_of(participant.meeting).first()
    if plan is None:
        return None
    with transaction.atomic():
        plan = _lock(plan)
        seat: Seat | None = None
        if instead_of is not None:
            held = (
                SeatAssignment.objects.filter(plan=plan, participant=instead_of)
                .select_related("seat")
                .first()
            )
            if held is not None:
                seat = held.seat
                held.delete()
        if seat is None:
            seat = (
                Seat.objects.filter(
                    plan=plan, kind=SeatKind.SEAT, reserved=False, section=Section.AUDIENCE
                )
                .filter(assignments__isnull=True)
                .order_by("row", "col", "id")
                .first()
            )
        if seat is None:
            return None
        SeatAssignment.objects.create(
            plan=plan, seat=seat, participant=participant, manual=True, assigned_by=actor
        )
        audit.record(
            "seating.seat.assigned",
            plan,
            actor=actor,
            data={
                "participant": participant.pk,
                "name": participant.display_name,
                "seat": seat.label,
                "from": "",
                "walk_in": True,
            },
        )
    return seat


def clear_seat(
    plan: SeatPlan, *, actor: User, participant: Participant, notify_person: bool = False
) -> bool:
    """Take the person off their seat in this plan. False when they had none."""
    _check(actor, plan.meeting)
    with transaction.atomic():
        plan = _lock(plan)
        assignment = (
            SeatAssignment.objects.filter(plan=plan, participant=participant)
            .select_related("seat")
            .first()
        )
        if assignment is None:
            return False
        assignment.delete()
        audit.record(
            "seating.seat.cleared",
            plan,
            actor=actor,
            data={
                "participant": participant.pk,
                "name": participant.display_name,
                "seat": assignment.seat.label,
            },
        )
        if notify_person:
            notify.tell_seat(participant, seat=None, meeting=plan.meeting, actor=actor)
    return True


def replace_assignments(
    plan: SeatPlan, *, actor: User, pairs: Sequence[tuple[int, int]]
) -> list[SeatAssignment]:
    """Make (participant id, seat id) pairs the plan's whole seating, all as placed by hand (the API's PUT).

    Refused before anything changes: a seat or person twice (`duplicate_seat`,
    `duplicate_person`), a seat not of this plan (`not_found`) or not a seat
    (`seat_unavailable`), a person not on the meeting (`not_on_meeting`).
    """
    _check(actor, plan.meeting)
    seat_ids = [seat_id for _pid, seat_id in pairs]
    person_ids = [pid for pid, _seat_id in pairs]
    if len(set(seat_ids)) != len(seat_ids):
        raise ValidationFailed(_("A seat is given twice."), "duplicate_seat")
    if len(set(person_ids)) != len(person_ids):
        raise ValidationFailed(_("A person is given two seats."), "duplicate_person")
    with transaction.atomic():
        plan = _lock(plan)
        seats = {s.pk: s for s in Seat.objects.filter(plan=plan, pk__in=seat_ids)}
        if len(seats) != len(set(seat_ids)):
            raise NotFound(_("A seat is not part of this plan."), "seat_not_found")
        unusable = [s.label for s in seats.values() if s.kind != SeatKind.SEAT]
        if unusable:
            raise errors.seat_unavailable(", ".join(unusable))
        people = selectors.participants_by_id(plan.meeting, person_ids)
        if len(people) != len(set(person_ids)):
            raise errors.not_on_meeting()
        before = SeatAssignment.objects.filter(plan=plan).count()
        SeatAssignment.objects.filter(plan=plan).delete()
        # Someone moved here from another plan of the meeting leaves their old seat.
        SeatAssignment.objects.filter(
            plan__meeting=plan.meeting, participant_id__in=person_ids
        ).delete()
        made = SeatAssignment.objects.bulk_create(
            SeatAssignment(
                plan=plan,
                seat=seats[seat_id],
                participant=people[pid],
                manual=True,
                assigned_by=actor,
            )
            for pid, seat_id in pairs
        )
        audit.record(
            "seating.plan.assignments_replaced",
            plan,
            actor=actor,
            data={"before": before, "assigned": len(made)},
        )
    return made


def _leaders(people: Sequence[Participant]) -> set[int]:
    user_ids = [p.user_id for p in people if p.user_id]
    return set(
        RoleAssignment.objects.filter(user_id__in=user_ids, role=Role.LEADER).values_list(
            "user_id", flat=True
        )
    )


def rostrum_candidates(plan: SeatPlan, people: Sequence[Participant]) -> list[Participant]:
    """Who sits on the rostrum, rank 1 first: the plan's protocol order, else hosts, leaders, speakers."""
    if not plan.rostrum_rows:
        return []
    if plan.precedence:
        # Ranks name participant rows; a person listed in two roles is found by either row.
        by_person = {selectors.person_key(p): p for p in people}
        rows = selectors.participants_by_id(plan.meeting, list(plan.precedence))
        ranked = [
            by_person.get(selectors.person_key(rows[i])) for i in plan.precedence if i in rows
        ]
        return list(dict.fromkeys(p for p in ranked if p is not None))
    leaders = _leaders(people)

    def rank(p: Participant) -> int | None:
        if p.role == MeetingRole.HOST:
            return 0
        if p.user_id in leaders and p.role != MeetingRole.OBSERVER:
            return 1
        if p.role == MeetingRole.SPEAKER:
            return 2
        return None

    scored = [(r, p.pk, p) for p in people if (r := rank(p)) is not None]
    return [p for _rank, _pk, p in sorted(scored, key=lambda t: (t[0], t[1]))]


def _audience_key(p: Participant) -> tuple[int, str, str, int]:
    first = 0 if p.role in (MeetingRole.HOST, MeetingRole.SPEAKER) else 1
    return (first, p.organisation, p.name_pinyin or p.display_name, p.pk)


def _audience_seats(seats: Sequence[Seat], columns: int) -> list[protocol.AudienceSeat]:
    aisles = {(s.row, s.col) for s in seats if s.kind == SeatKind.AISLE}
    return [
        protocol.AudienceSeat(
            key=s.pk,
            row=s.row,
            col=s.col,
            by_aisle=s.col in (1, columns)
            or (s.row, s.col - 1) in aisles
            or (s.row, s.col + 1) in aisles,
        )
        for s in seats
        if s.kind == SeatKind.SEAT and not s.reserved
    ]


def _plan_places(
    plan: SeatPlan, people: list[Participant], seats: list[Seat], taken: set[int]
) -> tuple[list[tuple[Participant, int]], list[Participant]]:
    """(person, seat id) pairs by protocol order, and who found no seat."""
    free = [s for s in seats if s.pk not in taken]
    places: list[tuple[Participant, int]] = []
    candidates = rostrum_candidates(plan, people)
    for row in range(1, plan.rostrum_rows + 1):
        row_seats = [
            s
            for s in free
            if s.section == Section.ROSTRUM
            and s.row == row
            and s.kind == SeatKind.SEAT
            and not s.reserved
        ]
        row_seats.sort(key=lambda s: s.col)
        centred = protocol.place_centred(candidates[: len(row_seats)], row_seats)
        places += [(p, s.pk) for p, s in centred]
        candidates = candidates[len(centred) :]
    overflow = candidates  # rostrum candidates without a rostrum seat go to the front
    done = {p.pk for p, _s in places} | {p.pk for p in overflow}
    rest = sorted((p for p in people if p.pk not in done), key=_audience_key)
    audience = [s for s in free if s.section == Section.AUDIENCE]
    audience.sort(key=lambda s: (s.row, s.col))
    pairs, unseated = protocol.fill_audience(
        [*overflow, *rest],
        _audience_seats(audience, plan.columns),
        preference=lambda p: protocol.preference_of(p.seat_preference),
        at_back=lambda p: p.role == MeetingRole.OBSERVER,
    )
    places += [(p, s.key) for p, s in pairs]
    return places, unseated


def auto_assign(
    plan: SeatPlan, *, actor: User, keep_manual: bool = True, notify_people: bool = False
) -> AutoResult:
    """Seat everyone still to be seated by protocol order (see `protocol`), replacing earlier automatic places.

    Seats placed by hand stay when `keep_manual`; people seated in another plan
    of the meeting stay there. Who does not fit is returned in `unseated`.
    """
    _check(actor, plan.meeting)
    meeting = plan.meeting
    with transaction.atomic():
        plan = _lock(plan)
        before = dict(
            SeatAssignment.objects.filter(plan=plan).values_list("participant_id", "seat_id")
        )
        dropped = SeatAssignment.objects.filter(plan=plan)
        if keep_manual:
            dropped = dropped.filter(manual=False)
        dropped.delete()
        kept = list(SeatAssignment.objects.filter(plan=plan))
        seated = selectors.seated_people(meeting)
        people = [p for p in selectors.seatable(meeting) if selectors.person_key(p) not in seated]
        seats = list(plan.seats.all())
        places, unseated = _plan_places(plan, people, seats, {a.seat_id for a in kept})
        SeatAssignment.objects.bulk_create(
            SeatAssignment(plan=plan, seat_id=seat_id, participant=p, assigned_by=actor)
            for p, seat_id in places
        )
        audit.record(
            "seating.plan.auto_assigned",
            plan,
            actor=actor,
            data={
                "assigned": len(places),
                "kept": len(kept),
                "unseated": [p.display_name for p in unseated][:50],
            },
        )
        if notify_people:
            labels = {s.pk: s for s in seats}
            for p, seat_id in places:
                if before.get(p.pk) != seat_id:
                    notify.tell_seat(p, seat=labels[seat_id], meeting=meeting, actor=actor)
    return AutoResult(assigned=len(places), kept=len(kept), unseated=unseated)


def delete_plan(plan: SeatPlan, *, actor: User) -> None:
    """Remove a plan with its seats and who sat where (the audit log keeps that it existed)."""
    _check(actor, plan.meeting)
    with transaction.atomic():
        plan = _lock(plan)
        audit.record(
            "seating.plan.deleted",
            plan,
            actor=actor,
            data={"assignments": plan.assignments.count(), "meeting": plan.meeting_id},
        )
        plan.delete()
