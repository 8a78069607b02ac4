"""Who may change how the organisation's official documents look and are numbered."""

from __future__ import annotations

from meetops.people.models import User


def can_manage_documents(user: User) -> bool:
    return bool(user.is_authenticated and user.is_system_admin)
