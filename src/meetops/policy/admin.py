"""Editing the policy's process: draft a new version, edit its steps, publish it.

Published versions are frozen (meetings were instantiated from them); a change
to the policy is a new version (P10.1), and publishing it is audited.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError
from meetops.core.web import AuthedRequest
from meetops.policy import services
from meetops.policy.models import ProcessTemplate, StepDefinition


class StepInline(admin.TabularInline):
    model = StepDefinition
    extra = 0
    fields = [
        "stage",
        "order",
        "clause",
        "title_zh_hans",
        "title_zh_hant",
        "title_en",
        "required",
        "owner_role",
        "completion",
        "rule",
    ]

    def has_change_permission(
        self, request: HttpRequest, obj: ProcessTemplate | None = None
    ) -> bool:
        return obj is None or obj.published_at is None

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "is_current", "published_at"]
    readonly_fields = ["version", "is_current", "published_at"]
    inlines = [StepInline]
    actions = ["draft_from", "publish"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # new versions come from "draft a new version"

    def has_delete_permission(
        self, request: HttpRequest, obj: ProcessTemplate | None = None
    ) -> bool:
        return obj is not None and obj.published_at is None

    @admin.action(description=_("Draft a new version from the current one"))
    def draft_from(self, request: AuthedRequest, queryset: QuerySet[ProcessTemplate]) -> None:
        template = services.draft_new_version(actor=request.user)
        messages.success(
            request,
            _("Version %(v)d drafted; edit its steps, then publish it.") % {"v": template.version},
        )

    @admin.action(description=_("Publish the selected draft"))
    def publish(self, request: AuthedRequest, queryset: QuerySet[ProcessTemplate]) -> None:
        for template in queryset.filter(published_at__isnull=True)[:1]:
            try:
                services.publish_version(template, actor=request.user)
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(
                    request, _("Version %(v)d is now current.") % {"v": template.version}
                )
