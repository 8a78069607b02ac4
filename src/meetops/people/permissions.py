"""Who may administer accounts, roles, second factors and read the whole audit log.

With MEETOPS_SEPARATION_OF_DUTIES on, each belongs to one administrator role only
(people.duties); without it the admin role holds all of them, as before.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from meetops.people.models import SOD_ROLES, Role, User, separation_of_duties


def _holds(user: Any, role: str) -> bool:
    return bool(user.is_authenticated and user.is_active and role in user.held_role_codes)


def is_any_admin(user: Any) -> bool:
    """Holds one of the three administrator roles (admins keep local passwords and need 2FA)."""
    return bool(user.is_authenticated and user.held_role_codes & set(SOD_ROLES))


def can_manage_accounts(user: Any) -> bool:
    return _holds(user, Role.ADMIN)


def can_manage_roles(user: Any) -> bool:
    """Roles, permissions and second factors: the security administrator (under SoD)."""
    if separation_of_duties():
        return _holds(user, Role.SECURITY_ADMIN)
    return _holds(user, Role.ADMIN) or _holds(user, Role.SECURITY_ADMIN)


def can_read_whole_audit_log(user: Any) -> bool:
    if separation_of_duties():
        return _holds(user, Role.AUDIT_ADMIN)
    return _holds(user, Role.ADMIN) or _holds(user, Role.AUDIT_ADMIN)


def two_factor_required(user: User) -> bool:
    """MEETOPS_ADMIN_2FA: every holder of an administrator role signs in with a second factor."""
    return bool(settings.MEETOPS_ADMIN_2FA) and is_any_admin(user)


def may_use_local_password(user: User) -> bool:
    """MEETOPS_LOCAL_LOGIN=0 keeps local passwords for administrators only (break-glass)."""
    return bool(settings.MEETOPS_LOCAL_LOGIN) or is_any_admin(user)
