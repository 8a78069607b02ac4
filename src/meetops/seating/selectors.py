"""Reads of the seating: plans, the grid with who sits where, a person's seat, the door list."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from meetops.core.errors import NotFound, PermissionDenied
from meetops.core.schemas import MAX_DB_ID
from meetops.meetings.models import Meeting, MeetingRole, Participant, ParticipantStatus, only_in
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.models import User
from meetops.people.names import NameOrder, order_fields
from meetops.seating.models import Seat, SeatAssignment, SeatPlan, Section
from meetops.seating.permissions import can_arrange_seating
from meetops.venues.models import HOLDING, Room

# Those who work the meeting (organisers, staff, the minute-taker) have their own places;
# they get a seat in the plan only by hand. Someone who also attends has a participant row for that.
UNSEATED_ROLES = (MeetingRole.ORGANISER, MeetingRole.STAFF, MeetingRole.RECORDER)
DECLINED = ("decline", "substitute")


def plans_of(meeting: Meeting) -> QuerySet[SeatPlan]:
    return SeatPlan.objects.filter(meeting=meeting).select_related("room").order_by("id")


def get_plan_for_user(
    user: User, meeting_id: int, plan_id: int, *, write: bool = False
) -> SeatPlan:
    """Load a plan of a meeting: 404 if the meeting or plan is not visible, 403 if it may not be arranged."""
    meeting = get_meeting_for_user(user, meeting_id)
    if not 0 < plan_id <= MAX_DB_ID:
        raise NotFound()
    plan = plans_of(meeting).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    if write and not can_arrange_seating(user, meeting):
        raise PermissionDenied()
    plan.meeting = meeting
    return plan


def booked_rooms(meeting: Meeting) -> QuerySet[Room]:
    """Rooms the meeting holds (pending or confirmed bookings), each once."""
    return (
        Room.objects.filter(bookings__meeting=meeting, bookings__status__in=list(HOLDING))
        .distinct()
        .order_by("name", "pk")
    )


# One person may be on a meeting in several roles (a speaker who is also listed as a
# participant): they get one seat, in the row of their most prominent role.
ROLE_PRIORITY: dict[str, int] = {
    MeetingRole.HOST: 0,
    MeetingRole.SPEAKER: 1,
    MeetingRole.PARTICIPANT: 2,
    MeetingRole.OBSERVER: 3,
}


def person_key(p: Participant) -> tuple[str, object]:
    """Who the row stands for: the account, the contact, the guest's e-mail, else the row itself."""
    if p.user_id:
        return ("user", p.user_id)
    if p.contact_id:
        return ("contact", p.contact_id)
    if p.email:
        return ("email", p.email.lower())
    return ("row", p.pk)


def same_person(p: Participant) -> Q:
    """The rows of this meeting that stand for the same person as `p`."""
    kind, value = person_key(p)
    if kind == "user":
        return Q(meeting_id=p.meeting_id, user_id=value)
    if kind == "contact":
        return Q(meeting_id=p.meeting_id, contact_id=value)
    if kind == "email":
        return Q(
            meeting_id=p.meeting_id, user__isnull=True, contact__isnull=True, email__iexact=value
        )
    return Q(pk=p.pk)


def to_seat(meeting: Meeting) -> QuerySet[Participant]:
    """Every row the automatic seating may place: active, not working the meeting, not declined."""
    return (
        Participant.objects.filter(meeting=meeting, status=ParticipantStatus.ACTIVE)
        .exclude(only_in(UNSEATED_ROLES))
        .exclude(invitation__response__in=DECLINED)
        .select_related("user")
    )


def seatable(meeting: Meeting) -> list[Participant]:
    """The people to seat, one row each (their most prominent role), in the order they were added."""
    chosen: dict[tuple[str, object], Participant] = {}
    rows = sorted(to_seat(meeting), key=lambda p: (ROLE_PRIORITY.get(p.role, 9), p.pk))
    for p in rows:
        chosen.setdefault(person_key(p), p)
    return sorted(chosen.values(), key=lambda p: p.pk)


def seated_people(meeting: Meeting) -> set[tuple[str, object]]:
    """Who has a seat in any plan of the meeting, by person."""
    return {
        person_key(a.participant)
        for a in SeatAssignment.objects.filter(plan__meeting=meeting).select_related("participant")
    }


def required_unseated(meeting: Meeting) -> list[Participant]:
    """Required people who accepted their invitation and have no seat (by person, in any plan)."""
    seated = seated_people(meeting)
    required = to_seat(meeting).filter(attendance="required", invitation__response="accept")
    return [p for p in required if person_key(p) not in seated]


@dataclass
class Cell:
    seat: Seat
    assignment: SeatAssignment | None = None


@dataclass
class Grid:
    """The plan drawn for a page: rostrum rows and audience rows of cells, and who is still without a seat."""

    plan: SeatPlan
    rostrum: list[list[Cell]] = field(default_factory=list)
    audience: list[list[Cell]] = field(default_factory=list)
    assignments: list[SeatAssignment] = field(default_factory=list)
    unseated: list[Participant] = field(default_factory=list)
    elsewhere: list[Participant] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        seats = [c for row in self.rostrum + self.audience for c in row if c.seat.kind == "seat"]
        return {
            "seats": len(seats),
            "taken": sum(1 for c in seats if c.assignment),
            "free": sum(1 for c in seats if not c.assignment and not c.seat.reserved),
            "unseated": len(self.unseated),
        }


def grid_of(plan: SeatPlan, *, with_people: bool = True) -> Grid:
    """The plan with its cells and assignments: a fixed number of queries, however large the plan."""
    seats = list(Seat.objects.filter(plan=plan).order_by("section", "row", "col"))
    assignments = list(
        SeatAssignment.objects.filter(plan=plan).select_related("participant", "seat")
    )
    by_seat = {a.seat_id: a for a in assignments}
    grid = Grid(plan=plan, assignments=assignments)
    rows: dict[tuple[str, int], list[Cell]] = {}
    for seat in seats:
        rows.setdefault((seat.section, seat.row), []).append(Cell(seat, by_seat.get(seat.pk)))
    for (section, _row), cells in sorted(rows.items(), key=lambda kv: kv[0][1]):
        (grid.rostrum if section == Section.ROSTRUM else grid.audience).append(cells)
    if with_people:
        everywhere = list(
            SeatAssignment.objects.filter(plan__meeting_id=plan.meeting_id)
            .exclude(plan=plan)
            .select_related("participant")
        )
        grid.elsewhere = [a.participant for a in everywhere]
        seated = {person_key(a.participant) for a in [*assignments, *everywhere]}
        grid.unseated = [p for p in seatable(plan.meeting) if person_key(p) not in seated]
    return grid


def seat_of(participant: Participant) -> SeatAssignment | None:
    """The person's seat at this meeting (whichever of their rows holds it), with its plan and room."""
    return (
        SeatAssignment.objects.filter(
            participant__in=Participant.objects.filter(same_person(participant))
        )
        .select_related("seat", "plan", "plan__room")
        .order_by("plan_id")
        .first()
    )


def door_list(meeting: Meeting, *, ordering: str = NameOrder.PINYIN) -> list[SeatAssignment]:
    """Everyone seated, by name (按姓名: pinyin; or 姓氏笔画 with `ordering="strokes"`)."""
    return list(
        SeatAssignment.objects.filter(plan__meeting=meeting)
        .select_related("participant", "seat", "plan")
        .order_by(*order_fields(ordering, "participant__"), "participant_id")
    )


def card_names(plan: SeatPlan) -> list[SeatAssignment]:
    """The name cards (桌签) of a plan: rostrum first, in seat order."""
    return list(
        SeatAssignment.objects.filter(plan=plan)
        .select_related("participant", "seat")
        .order_by("-seat__section", "seat__row", "seat__col")
    )


def participants_by_id(meeting: Meeting, ids: list[int]) -> dict[int, Participant]:
    return {p.pk: p for p in Participant.objects.filter(meeting=meeting, pk__in=ids)}
