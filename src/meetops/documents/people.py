"""出席 / 请假 / 缺席 / 列席 / 记录: who was there, from the meeting's people, sign-ins and leave.

Names come in protocol order: the host first, then organisers, speakers and the other
participants, each group in the order they were put on the meeting (the meeting's own
order of precedence; pinyin or stroke order is not protocol order). Organisers and staff
run the meeting and are named only when they signed in as attendees. A person who holds
two roles (one row: `role` and `extra_roles`) is placed by the first of them in that order;
主持 and 记录 name whoever holds those roles, whatever else they also are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from meetops.attendance.models import SignIn
from meetops.invitations.models import Invitation, Response
from meetops.meetings.models import Meeting, MeetingRole, Participant, ParticipantStatus

RANK: dict[str, int] = {
    MeetingRole.HOST: 0,
    MeetingRole.ORGANISER: 1,
    MeetingRole.SPEAKER: 2,
    MeetingRole.PARTICIPANT: 3,
    MeetingRole.OBSERVER: 4,
    MeetingRole.RECORDER: 5,
    MeetingRole.STAFF: 6,
}
NOT_ATTENDING = (MeetingRole.STAFF, MeetingRole.RECORDER, MeetingRole.OBSERVER)


@dataclass
class PeopleLines:
    present: list[str] = field(default_factory=list)
    leave: list[str] = field(default_factory=list)  # "孙磊（出差）": the reason they gave
    absent: list[str] = field(default_factory=list)
    observers: list[str] = field(default_factory=list)
    recorders: list[str] = field(default_factory=list)
    host: str = ""


def _key(p: Participant) -> tuple[str, object]:
    if p.user_id:
        return ("user", p.user_id)
    if p.contact_id:
        return ("contact", p.contact_id)
    return ("guest", (p.email or p.name).lower())


def _roles(p: Participant) -> set[str]:
    return {p.role, *(p.extra_roles or [])}


def _first_role(p: Participant) -> str:
    """The role that places the person: the first of theirs in protocol order."""
    return min(_roles(p), key=lambda r: RANK.get(r, 9))


def people_lines(meeting: Meeting) -> PeopleLines:
    """The lines of the 纪要, in three queries whatever the number of people."""
    people = sorted(
        Participant.objects.filter(meeting=meeting, status=ParticipantStatus.ACTIVE).select_related(
            "user", "contact"
        ),
        key=lambda p: (RANK.get(_first_role(p), 9), p.pk),
    )
    signed = set(
        SignIn.objects.filter(meeting=meeting, undone_at__isnull=True).values_list(
            "participant_id", flat=True
        )
    )
    declined = dict(
        Invitation.objects.filter(meeting=meeting, response=Response.DECLINE).values_list(
            "participant_id", "reason"
        )
    )
    lines = PeopleLines()
    seen: set[tuple[str, object]] = set()
    for p in people:
        key = _key(p)
        if key in seen:
            continue
        seen.add(key)
        name = p.display_name
        roles = _roles(p)
        role = _first_role(p)
        if MeetingRole.HOST in roles and not lines.host:
            lines.host = name
        if MeetingRole.RECORDER in roles:
            lines.recorders.append(name)
        if role == MeetingRole.RECORDER:
            continue
        elif role == MeetingRole.STAFF or (role == MeetingRole.ORGANISER and p.pk not in signed):
            # Staff run the meeting; an organiser is named only if they signed in as an attendee.
            continue
        elif role == MeetingRole.OBSERVER:
            if not signed or p.pk in signed:
                lines.observers.append(name)
        elif p.pk in signed or (not signed and p.pk not in declined):
            lines.present.append(name)
        elif p.pk in declined:
            reason = (declined[p.pk] or "").strip().splitlines()
            lines.leave.append(f"{name}（{reason[0][:20]}）" if reason else name)
        else:
            lines.absent.append(name)
    return lines
