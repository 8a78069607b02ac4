from django.contrib import admin

from meetops.identity.models import ExternalDepartment, ExternalIdentity, SyncRun


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "provider",
        "username",
        "external_id",
        "last_login_at",
        "last_synced_at",
    ]
    list_filter = ["provider"]
    search_fields = ["user__username", "user__display_name", "username", "external_id"]
    raw_id_fields = ["user"]


@admin.register(ExternalDepartment)
class ExternalDepartmentAdmin(admin.ModelAdmin):
    list_display = ["department", "provider", "external_id", "gone_at", "last_synced_at"]
    list_filter = ["provider"]


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ["provider", "started_at", "status", "dry_run", "finished_at"]
    list_filter = ["provider", "status"]
