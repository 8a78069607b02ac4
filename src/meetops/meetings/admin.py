from django.contrib import admin
from django.http import HttpRequest

from meetops.meetings.models import Meeting, MeetingKind, Participant


@admin.register(MeetingKind)
class MeetingKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh_hans", "name_zh_hant", "name_en", "order", "active"]
    list_editable = ["order", "active"]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ["user", "contact"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Read-mostly: meetings change through the app so that rules and the audit log apply."""

    list_display = ["title", "kind", "stage", "start", "confidentiality", "department"]
    list_filter = ["stage", "kind", "confidentiality"]
    search_fields = ["title"]
    inlines = [ParticipantInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Meeting | None = None) -> list[str]:
        return [f.name for f in Meeting._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
