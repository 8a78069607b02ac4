"""Who may see deliveries and manage channels. Pure predicates."""

from __future__ import annotations

from typing import Any

from meetops.meetings.permissions import can_manage_meeting
from meetops.people.models import Role, User


def can_manage_endpoints(user: User) -> bool:
    """Robot endpoints and outgoing webhooks hold credentials: administrators only."""
    return bool(user.is_authenticated and user.is_system_admin)


def can_see_delivery_log(user: User) -> bool:
    """The delivery log page: administrators and organisers (organisers see their meetings' messages)."""
    return bool(user.is_authenticated and user.has_role(Role.ADMIN, Role.ORGANISER))


def can_see_delivery(user: User, message: Any) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return message.meeting is not None and can_manage_meeting(user, message.meeting)
