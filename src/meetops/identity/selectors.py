"""Reads for identity: sync runs and outside-account links, for admins."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from meetops.core.errors import NotFound, PermissionDenied
from meetops.identity.models import ExternalDepartment, ExternalIdentity, SyncRun
from meetops.people.models import User


def can_manage_identity(user: User) -> bool:
    return bool(user.is_authenticated and user.is_admin)


def sync_runs_for(user: User) -> QuerySet[SyncRun]:
    if not can_manage_identity(user):
        raise PermissionDenied()
    return SyncRun.objects.select_related("started_by").order_by("-started_at", "-pk")


def get_sync_run_for_user(user: User, pk: int) -> SyncRun:
    run = sync_runs_for(user).filter(pk=pk).first()
    if run is None:
        raise NotFound()
    return run


def links_for(user: User, *, query: str = "") -> QuerySet[ExternalIdentity]:
    """Every outside-account link, for admins; `query` matches names, login names and ids."""
    if not can_manage_identity(user):
        raise PermissionDenied()
    links = ExternalIdentity.objects.select_related("user", "user__department")
    if query:
        links = links.filter(
            Q(user__username__icontains=query)
            | Q(user__display_name__icontains=query)
            | Q(username__icontains=query)
            | Q(external_id__icontains=query)
        )
    return links.order_by("user__username", "provider")


def get_link_for_user(user: User, pk: int) -> ExternalIdentity:
    link = links_for(user).filter(pk=pk).first()
    if link is None:
        raise NotFound()
    return link


def my_links(user: User) -> QuerySet[ExternalIdentity]:
    return ExternalIdentity.objects.filter(user=user).order_by("provider")


def known_departments(provider: str) -> QuerySet[ExternalDepartment]:
    """The provider's departments seen by earlier syncs (to pick subtrees from)."""
    return (
        ExternalDepartment.objects.filter(provider=provider, gone_at__isnull=True)
        .select_related("department")
        .order_by("department__path", "department__order")
    )
