"""Change events from a platform's callback, applied at once through directory sync's own
functions (a person added, moved or left; a department created, renamed or deleted).

The events only say who or what changed; the person or tree is read again from the platform
(WeCom sends only `UserID` and `Department` to callbacks set up after 2022-08-15, reference
§1.2), so what is applied is what a full sync would apply.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import transaction

from meetops.identity import sync
from meetops.identity.models import ExternalIdentity
from meetops.identity.providers import Provider, providers
from meetops.workim.platforms import Event, Platform

logger = logging.getLogger(__name__)


def _provider(platform: Platform) -> Provider | None:
    return providers().get(platform.directory_provider) if platform.directory_provider else None


def _renamed(provider: Provider, old: str, new: str) -> None:
    """WeCom lets a user id change once (`NewUserID`): move the link to the new id."""
    if new and new != old:
        ExternalIdentity.objects.filter(provider=provider.key, external_id=old).exclude(
            provider=provider.key, external_id=new
        ).update(external_id=new)


TREE_EVENTS = ("department_created", "department_updated", "user_created", "user_updated")


def apply_events(platform: Platform, events: Sequence[Event]) -> int:
    """Apply the directory events; returns how many changed something."""
    provider = _provider(platform)
    if provider is None or not events:
        return 0
    changed = 0
    if any(e.kind in TREE_EVENTS for e in events):
        # Once per callback: new and renamed departments, and those a person moved into.
        try:
            tree = sync.sync_departments(provider, actor=None)
            changed += bool(tree.departments_created or tree.departments_updated)
        except Exception:
            logger.exception("%s: department tree not read", platform.key)
    for event in events:
        try:
            with transaction.atomic():
                report = _apply(platform, provider, event)
        except Exception:  # one bad event must not lose the others; the next sync repairs it
            logger.exception("%s: event %s not applied", platform.key, event.kind)
            continue
        if report is not None and any(report.counts().values()):
            changed += 1
    return changed


def _apply(platform: Platform, provider: Provider, event: Event) -> sync.Report | None:
    data = event.data
    if event.kind == "department_deleted":
        return sync.department_gone(provider, str(data.get("department_id", "")))
    if not event.kind.startswith("user"):
        return None
    user_id = str(data.get("user_id", ""))
    if event.kind == "user_left":
        return sync.person_left(provider, user_id, actor=None)
    _renamed(provider, user_id, str(data.get("new_user_id", "")))
    user_id = str(data.get("new_user_id") or user_id)
    attrs = platform.person(user_id)
    if attrs is None:
        return sync.person_left(provider, user_id, actor=None)
    return sync.sync_person(provider, attrs, actor=None)
