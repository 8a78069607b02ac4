"""`manage.py check --database default` (and every migrate) warns when accounts break SoD."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning

from meetops.people.models import SOD_ROLES, User, separation_of_duties


@register(Tags.database)
def check_separation_of_duties(
    app_configs: Sequence[Any] | None = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Accounts that hold two administrator roles while MEETOPS_SEPARATION_OF_DUTIES is on."""
    if not separation_of_duties() or not databases:
        return []
    from django.db.models import Count

    clashing = (
        User.objects.filter(role_assignments__role__in=SOD_ROLES)
        .annotate(n=Count("role_assignments"))
        .filter(n__gt=1)
        .order_by("username")
        .values_list("username", flat=True)
    )
    found: list[CheckMessage] = []
    names = list(clashing)
    if names:
        found.append(
            CheckWarning(
                "Separation of duties is on, but these accounts hold two or more of the "
                f"administrator roles (admin, security_admin, audit_admin): {', '.join(names)}.",
                hint="Keep one administrator role per account (the security administrator "
                "changes roles on /security/; docs/operations.md, Security administration).",
                id="meetops.W021",
            )
        )
    superusers = list(
        User.objects.filter(is_superuser=True, is_active=True)
        .exclude(role_assignments__role__in=SOD_ROLES)
        .order_by("username")
        .values_list("username", flat=True)
    )
    if superusers:
        found.append(
            CheckWarning(
                "Separation of duties is on: the superuser flag of these accounts no longer "
                f"grants anything, and they hold no administrator role: {', '.join(superusers)}.",
                hint="Give each one administrator role, or clear the flag.",
                id="meetops.W022",
            )
        )
    return found
