from django.contrib import admin

from meetops.minutes.models import ActionItem, Minutes


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ["meeting", "state", "revision", "updated_at"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in Minutes._meta.fields]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "owner", "department", "due_date", "state"]
    list_filter = ["state"]
    raw_id_fields = ["meeting", "owner", "department", "decision", "created_by"]
