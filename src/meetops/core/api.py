"""Browsing the audit log. Admins see everything; others see the entries of objects they may see."""

from datetime import datetime
from typing import Any

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from meetops.core.schemas import ApiDatetime, Input, Pagination
from meetops.core.selectors import audit_entries_for
from meetops.core.web import AuthedRequest

router = Router(tags=["audit"])


class AuditOut(Schema):
    id: int
    created_at: datetime
    actor: str = Field(..., alias="actor_name")
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    data: dict[str, Any]
    source: str
    ip_address: str | None


class AuditFilter(Input):
    object_type: str | None = Field(None, max_length=60)
    object_id: str | None = Field(None, max_length=64)
    actor: str | None = Field(None, max_length=150)
    since: ApiDatetime | None = None
    until: ApiDatetime | None = None


@router.get("", response=list[AuditOut], summary="Audit entries, newest first")
@paginate(Pagination)
def list_audit(request: AuthedRequest, filters: Query[AuditFilter]) -> Any:
    entries = audit_entries_for(
        request.user,
        object_type=filters.object_type,
        object_id=filters.object_id,
        actor=filters.actor,
        since=filters.since,
        until=filters.until,
    )
    return entries
