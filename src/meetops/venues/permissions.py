"""Who may book, administer and see what. Pure predicates, used by UI, API and CLI alike."""

from __future__ import annotations

from meetops.meetings.permissions import can_manage_meeting, can_view_meeting, is_on_meeting
from meetops.people.models import User
from meetops.venues.models import Booking, Room, WaitlistEntry


def can_manage_rooms(user: User) -> bool:
    """Create rooms, import them, edit any room: system administrators."""
    return user.is_authenticated and user.is_admin


def can_administer_room(user: User, room: Room) -> bool:
    """Approve or reject bookings, edit blackouts: the room's administrators and system admins."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    known = getattr(room, "_administered_by", {}).get(user.pk)  # selectors.get_room_to_book
    if known is not None:
        return bool(known)
    admin_ids: set[int] | None = getattr(room, "_admin_ids", None)
    if admin_ids is None:
        admin_ids = set(room.administrators.values_list("pk", flat=True))
        room._admin_ids = admin_ids
    return user.pk in admin_ids


def can_book_room(user: User, room: Room) -> bool:
    """The room is open to everyone unless it names departments or roles that may book it."""
    if not user.is_authenticated or not user.is_active or not room.active:
        return False
    if can_administer_room(user, room):
        return True
    # get_room_to_book knows whether the room names departments at all (most name none).
    names_departments = getattr(room, "_names_departments", True)
    departments = list(room.allowed_departments.all()) if names_departments else []
    roles = set(room.allowed_roles or [])
    if not departments and not roles:
        return True
    if roles & set(user.role_codes):
        return True
    if departments and user.department_id and user.department is not None:
        path = user.department.path
        return any(f"/{d.pk}/" in path for d in departments)
    return False


def can_change_booking(user: User, booking: Booking) -> bool:
    """Cancel or move: whoever manages the meeting, the room's administrators."""
    return can_manage_meeting(user, booking.meeting) or can_administer_room(user, booking.room)


def can_see_booking_owner(user: User, booking: Booking) -> bool:
    """Whether the caller may learn which meeting holds the slot (else only the interval)."""
    return can_administer_room(user, booking.room) or can_view_meeting(user, booking.meeting)


def can_check_in(user: User, booking: Booking) -> bool:
    """Anyone on the meeting, its managers and the room's administrators (the door tablet signs in as one)."""
    return can_change_booking(user, booking) or is_on_meeting(user, booking.meeting)


def can_withdraw_waitlist_entry(user: User, entry: WaitlistEntry) -> bool:
    """Whoever queued the request, and whoever manages the meeting it was for."""
    if not user.is_authenticated:
        return False
    return entry.created_by_id == user.pk or can_manage_meeting(user, entry.meeting)
