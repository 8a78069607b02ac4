from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from meetops.core.models import AuditEntry
from meetops.core.registry import AuditScope, registry

if TYPE_CHECKING:
    from meetops.people.models import User


def audit_entries_for(
    user: User,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries the user may read, newest first.

    Who reads what is decided by the registry's "audit_scope" store: the app that knows who
    may see an object limits the log to it (meetings: meetings_audit_scope). Without a scope
    nobody reads the log, so a missing registration hides entries rather than shows them.
    """
    qs = AuditEntry.objects.all()
    scopes: list[AuditScope] = registry["audit_scope"].ordered()
    if not scopes:
        return qs.none()
    for scope in scopes:
        qs = scope.limit(user, qs)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor:
        qs = qs.filter(actor_name=actor)
    if since:
        qs = qs.filter(created_at__gte=since)
    if until:
        qs = qs.filter(created_at__lt=until)
    return qs.order_by("-created_at", "-id")
