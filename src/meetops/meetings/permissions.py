"""Who may see and change a meeting. Pure predicates, used by UI, API and CLI alike.

Visibility by confidentiality:
- public, internal: every signed-in user;
- restricted: people on the meeting, its creator, members of the organising
  department (and of departments above it), leaders, archivists and admins;
- confidential: people on the meeting, its creator and admins only.

What a person may do at the meeting (run the desk, admit walk-ins, handle tickets, write the
minutes) follows from their roles and from their duties (ADR 0030): `ROLE_CAPABILITIES` and
`DUTY_CAPABILITIES` below are the one place that says so; the apps' predicates ask
`has_capability`.
"""

from __future__ import annotations

from enum import StrEnum

from meetops.meetings.models import Confidentiality, DutyKind, Meeting, MeetingRole
from meetops.people.models import Role, User

MANAGING_ROLES = frozenset({MeetingRole.ORGANISER})
RUNNING_ROLES = frozenset({MeetingRole.ORGANISER, MeetingRole.HOST})


class Capability(StrEnum):
    """Something a person may do at one meeting. Those who manage the meeting may do all."""

    RUN_DESK = "run_desk"  # open the sign-in desk, sign people in, undo, paper sheets
    ADMIT_WALK_INS = "admit_walk_ins"  # put someone not on the list on it at the door
    HANDLE_TICKETS = "handle_tickets"  # take and resolve reported problems in the room
    WRITE_MINUTES = "write_minutes"  # draft the minutes


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    MeetingRole.ORGANISER: frozenset(Capability),
    MeetingRole.HOST: frozenset(
        {Capability.RUN_DESK, Capability.HANDLE_TICKETS, Capability.WRITE_MINUTES}
    ),
    MeetingRole.RECORDER: frozenset({Capability.WRITE_MINUTES}),
    MeetingRole.STAFF: frozenset(
        {Capability.RUN_DESK, Capability.ADMIT_WALK_INS, Capability.HANDLE_TICKETS}
    ),
}

DUTY_CAPABILITIES: dict[str, frozenset[Capability]] = {
    DutyKind.DESK: frozenset({Capability.RUN_DESK, Capability.ADMIT_WALK_INS}),
    DutyKind.SECURITY: frozenset({Capability.HANDLE_TICKETS}),
    DutyKind.TECH: frozenset({Capability.HANDLE_TICKETS}),
    DutyKind.LOGISTICS: frozenset({Capability.HANDLE_TICKETS}),
    DutyKind.RECORDING: frozenset({Capability.WRITE_MINUTES}),
}


def meeting_roles_of(user: User, meeting: Meeting) -> frozenset[str]:
    """The roles the user holds on this meeting (cached on the meeting for the request)."""
    if not user.is_authenticated:
        return frozenset()
    cache: dict[int, frozenset[str]] = meeting.__dict__.setdefault("_roles_cache", {})
    if user.pk not in cache:
        held: set[str] = set()
        kinds: set[str] = set()
        for role, extra, duties in meeting.participants.filter(user=user).values_list(
            "role", "extra_roles", "duty_kinds"
        ):
            held.update([role, *extra])
            kinds.update(duties or [])
        cache[user.pk] = frozenset(held)
        # The same row says the duties: `duty_kinds_of` asks no second query.
        meeting.__dict__.setdefault("_duties_cache", {})[user.pk] = frozenset(kinds)
    return cache[user.pk]


def duty_kinds_of(user: User, meeting: Meeting) -> frozenset[str]:
    """The kinds of duty the user was given on this meeting (cached like the roles)."""
    if not user.is_authenticated:
        return frozenset()
    cache: dict[int, frozenset[str]] = meeting.__dict__.setdefault("_duties_cache", {})
    if user.pk not in cache:
        kinds: set[str] = set()
        for row in meeting.participants.filter(user=user).values_list("duty_kinds", flat=True):
            kinds.update(row or [])
        cache[user.pk] = frozenset(kinds)
    return cache[user.pk]


def capabilities_of(user: User, meeting: Meeting) -> frozenset[Capability]:
    """Everything the user may do at the meeting, from their roles and their duties."""
    if can_manage_meeting(user, meeting):
        return frozenset(Capability)
    roles = meeting_roles_of(user, meeting)
    if not roles:  # not on the meeting: no duties either (and no query for them)
        return frozenset()
    granted: set[Capability] = set()
    for role in roles:
        granted |= ROLE_CAPABILITIES.get(role, frozenset())
    for kind in duty_kinds_of(user, meeting):
        granted |= DUTY_CAPABILITIES.get(kind, frozenset())
    return frozenset(granted)


def has_capability(user: User, meeting: Meeting, capability: Capability) -> bool:
    """May the user do this at the meeting? Asks for the duties only when the roles say no."""
    if can_manage_meeting(user, meeting):
        return True
    roles = meeting_roles_of(user, meeting)
    if any(capability in ROLE_CAPABILITIES.get(role, ()) for role in roles):
        return True
    return bool(roles) and capability in capabilities_of(user, meeting)


def can_register_walk_ins(user: User, meeting: Meeting) -> bool:
    """Put someone who arrives unannounced on the meeting: managers and the desk (role or duty)."""
    return can_view_meeting(user, meeting) and has_capability(
        user, meeting, Capability.ADMIT_WALK_INS
    )


def is_on_meeting(user: User, meeting: Meeting) -> bool:
    return meeting.created_by_id == user.pk or bool(meeting_roles_of(user, meeting))


def can_view_meeting(user: User, meeting: Meeting) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_admin or is_on_meeting(user, meeting):
        return True
    if meeting.confidentiality in (Confidentiality.PUBLIC, Confidentiality.INTERNAL):
        return True
    if meeting.confidentiality == Confidentiality.RESTRICTED:
        if user.has_role(Role.LEADER, Role.ARCHIVIST):
            return True
        return bool(
            meeting.department_id
            and user.department_id
            and user.department
            and f"/{meeting.department_id}/" in user.department.path
        )
    return False


def can_create_meeting(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN, Role.ORGANISER, Role.LEADER)


def can_manage_meeting(user: User, meeting: Meeting) -> bool:
    """Edit the meeting, its people and move it between stages."""
    if user.is_admin:
        return True
    return meeting.created_by_id == user.pk or bool(
        meeting_roles_of(user, meeting) & MANAGING_ROLES
    )


def can_override_steps(user: User, meeting: Meeting) -> bool:
    """Advance past open required steps, with a reason. Organisers by global role only."""
    if user.is_admin:
        return True
    return user.has_role(Role.ORGANISER) and can_manage_meeting(user, meeting)


def can_complete_step(user: User, meeting: Meeting, owner_role: str) -> bool:
    if meeting.is_frozen:
        return False
    return can_manage_meeting(user, meeting) or owner_role in meeting_roles_of(user, meeting)
