from __future__ import annotations

from datetime import datetime

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from meetops.core.models import AuditEntry
from meetops.people.models import Role, User


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

    Admins read the whole log; archivists read it all but the history of
    meetings they may not see (a confidential meeting's entries carry its
    title and changes); anyone else reads the history of the meetings they may
    see and their own actions.
    """
    from meetops.meetings.selectors import meetings_visible_to
    from meetops.people.permissions import can_read_whole_audit_log

    qs = AuditEntry.objects.all()
    if not (user.is_admin or can_read_whole_audit_log(user)):
        visible_ids = meetings_visible_to(user).annotate(key=Cast("pk", CharField())).values("key")
        visible_meetings = Q(object_type="meeting", object_id__in=visible_ids)
        if user.has_role(Role.ARCHIVIST):
            qs = qs.filter(~Q(object_type="meeting") | visible_meetings)
        else:
            qs = qs.filter(visible_meetings | Q(actor=user))
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
