"""Who may change the meeting process. A pure predicate the services, pages, API and menu share."""

from __future__ import annotations

from meetops.people.models import User


def can_edit_process(user: User) -> bool:
    """Draft, edit and publish process versions: configuration, the system administrator's
    (with or without separation of duties), as drafting and publishing always were."""
    return bool(user.is_authenticated and user.is_active and user.is_system_admin)
