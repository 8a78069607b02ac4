"""Notifications of the register: a qualification or contract is about to expire (P10.5).

Texts: `templates/notifications/messages/<event>/`. Written to the outbox in the caller's
transaction (`notifications.services.enqueue`).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from meetops.notifications import events
from meetops.people.models import Role, User, separation_of_duties

DOCUMENT_EXPIRING = events.register_event(
    "partners.document.expiring",
    _("A supplier's qualification or contract is about to expire"),
    broadcast=False,
)


def keepers() -> QuerySet[User]:
    """Who keeps the register: its appointed managers and (without SoD) the administrators."""
    who = Q(partners_manager__isnull=False)
    if not separation_of_duties():
        who |= Q(role_assignments__role=Role.ADMIN)
    return User.objects.filter(who, is_active=True).distinct().order_by("pk")
