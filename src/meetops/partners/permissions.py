"""Who may read and keep the register of suppliers (P10.5). Pure predicates.

- keep the register (suppliers, contacts, qualifications, contracts): administrators and the
  register's managers (`Manager`, appointed by a system administrator on the managers page);
- read it: those, organisers and leaders (they choose suppliers for their meetings);
- link a supplier to a meeting: whoever manages the meeting, until it is frozen;
- rate a supplier a meeting used: whoever manages the meeting, once it took place
  (concluded or following up; a closed meeting is frozen); the author edits their rating.
"""

from __future__ import annotations

from meetops.meetings.models import Meeting, Stage
from meetops.meetings.permissions import can_manage_meeting
from meetops.partners.models import Manager
from meetops.people.models import Role, User

READER_ROLES = (Role.ADMIN, Role.ORGANISER, Role.LEADER)
RATED_STAGES = frozenset({Stage.CONCLUDED, Stage.FOLLOWING_UP})


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_register_manager(user: User) -> bool:
    """Appointed to keep the register (cached on the user for the request)."""
    if not _active(user):
        return False
    known = getattr(user, "_partners_manager", None)
    if known is None:
        known = Manager.objects.filter(user_id=user.pk).exists()
        user._partners_manager = known  # type: ignore[attr-defined]
    return bool(known)


def can_manage_register(user: User) -> bool:
    return _active(user) and (user.is_admin or is_register_manager(user))


def can_read_register(user: User) -> bool:
    return _active(user) and (user.has_role(*READER_ROLES) or is_register_manager(user))


def can_appoint_managers(user: User) -> bool:
    """Appointing managers is configuration: the system administrator, also under SoD."""
    return _active(user) and user.is_system_admin


def can_link_suppliers(user: User, meeting: Meeting) -> bool:
    return _active(user) and not meeting.is_frozen and can_manage_meeting(user, meeting)


def can_rate_suppliers(user: User, meeting: Meeting) -> bool:
    return _active(user) and meeting.stage in RATED_STAGES and can_manage_meeting(user, meeting)


def can_edit_rating(user: User, meeting: Meeting, author_id: int | None) -> bool:
    """Its author, while they may still rate the meeting's suppliers."""
    return author_id == user.pk and can_rate_suppliers(user, meeting)
