from django.contrib import admin
from django.http import HttpRequest

from meetops.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log has no change or delete path."""

    list_display = ["created_at", "actor_name", "action", "object_type", "object_id", "source"]
    list_filter = ["source", "object_type"]
    search_fields = ["action", "object_repr", "actor_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
