"""Reads: who can be reached on which platform."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from meetops.identity.models import ExternalIdentity
from meetops.people.models import User
from meetops.workim.models import ImPreference
from meetops.workim.platforms import configured_platforms


def im_addresses(users: Iterable[User]) -> dict[int, str]:
    """{user id: "<platform>:<platform user id>"} for the people who can get work IM
    messages: linked to a configured platform and not switched off. One query (two with
    the platforms' saved settings); the first configured platform wins."""
    ids = [u.pk for u in users if u.is_active]
    keys = list(configured_platforms())
    if not ids or not keys:
        return {}
    off = ImPreference.objects.filter(user_id__in=ids, receive=False).values("user_id")
    rows = (
        ExternalIdentity.objects.filter(user_id__in=ids, provider__in=keys, left_at__isnull=True)
        .exclude(user_id__in=off)
        .values_list("user_id", "provider", "external_id")
    )
    found: dict[int, str] = {}
    for user_id, provider, external_id in sorted(rows, key=lambda r: keys.index(r[1])):
        found.setdefault(user_id, f"{provider}:{external_id}")
    return found


def im_status(user: User) -> dict[str, Any]:
    configured = configured_platforms()
    links = ExternalIdentity.objects.filter(user=user, provider__in=list(configured))
    pref = ImPreference.objects.filter(user=user).first()
    platforms = [configured[link.provider] for link in links]
    return {
        "platforms": platforms,
        "receive": pref.receive if pref else True,
        # Action items as to-dos: offered where a linked platform has a to-do API.
        "todo_platforms": [p.label for p in platforms if p.supports_todos],
        "todos": pref.todos if pref else True,
    }
