"""Separation of duties (等保 level 3): the three administrator roles and what each may touch.

Enforced in three places: `services.set_roles` / `create_user` refuse a second administrator
role (`check_duties`); `User.role_codes` drops the three roles from every business rule while
`MEETOPS_SEPARATION_OF_DUTIES` is on; `User.has_perm` answers Django's admin site from
`ADMIN_SITE` below instead of the superuser shortcut. `checks.py` warns about accounts that
already break the rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from meetops.core.errors import DomainError
from meetops.people.models import SOD_ROLES, Role, separation_of_duties

if TYPE_CHECKING:
    from meetops.people.models import User

# Models of Django's admin site each administrator role may use under SoD, with the
# actions. Configuration and accounts only; meetings, minutes, budgets... are not here.
ADMIN_SITE: dict[str, dict[str, frozenset[str]]] = {
    Role.ADMIN: {
        "people.user": frozenset({"view", "add", "change"}),
        "people.department": frozenset({"view", "add", "change", "delete"}),
        "people.apitoken": frozenset({"view", "change"}),
        # Read-only: roles are the security administrator's, changed on the security page.
        "people.roleassignment": frozenset({"view"}),
        "meetings.meetingkind": frozenset({"view", "add", "change"}),
        "policy.processtemplate": frozenset({"view"}),
        "budget.defaultsupply": frozenset({"view", "add", "change", "delete"}),
    },
    Role.SECURITY_ADMIN: {},
    Role.AUDIT_ADMIN: {"core.auditentry": frozenset({"view"})},
}


def _allowed(user: User) -> dict[str, frozenset[str]]:
    allowed: dict[str, frozenset[str]] = {}
    for role in user.held_role_codes & set(SOD_ROLES):
        for model, actions in ADMIN_SITE[role].items():
            allowed[model] = allowed.get(model, frozenset()) | actions
    return allowed


def admin_site_allows(user: User, perm: str) -> bool:
    """`perm` is Django's "app_label.action_model"."""
    app_label, _sep, codename = perm.partition(".")
    action, _sep, model = codename.partition("_")
    return action in _allowed(user).get(f"{app_label}.{model}", frozenset())


def admin_site_allows_app(user: User, app_label: str) -> bool:
    return any(key.startswith(f"{app_label}.") for key in _allowed(user))


def conflicting(roles: Iterable[str]) -> list[str]:
    """The administrator roles among `roles` when there are two or more of them, else []."""
    held = [r for r in SOD_ROLES if r in set(roles)]
    return held if len(held) > 1 else []


def check_duties(roles: Iterable[str], *, username: str) -> None:
    """Refuse a set of roles that holds two administrator roles while SoD is on."""
    clash = conflicting(roles)
    if separation_of_duties() and clash:
        labels = dict(Role.choices)
        raise DomainError(
            _("Separation of duties: %(user)s cannot be both %(first)s and %(second)s.")
            % {"user": username, "first": labels[clash[0]], "second": labels[clash[1]]},
            "duties_conflict",
            roles=clash,
        )
