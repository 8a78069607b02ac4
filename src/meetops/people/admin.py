from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from meetops.people.models import ApiToken, Department, ExternalContact, RoleAssignment, User
from meetops.people.services import rebuild_department_paths


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "display_name", "department", "email", "is_active"]
    list_select_related = ["department"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("MeetOps"),
            {"fields": ["display_name", "department", "title", "phone", "language", "time_zone"]},
        ),
    )


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "parent", "path"]
    readonly_fields = ["path"]

    def save_model(self, request: HttpRequest, obj: Department, form: Any, change: bool) -> None:
        # Keep the materialised path (and those below) right when a department moves.
        super().save_model(request, obj, form, change)

        rebuild_department_paths()


@admin.register(ExternalContact)
class ExternalContactAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "email", "phone"]
    search_fields = ["name", "organisation", "email"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
