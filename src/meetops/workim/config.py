"""Each platform's settings: the environment first, else the admin page, else the default.

    config.value("wecom", "corp_id")   # MEETOPS_WECOM_CORP_ID, else the saved value, else ""

An environment variable wins and makes the field read-only on the admin page (deployments
that keep secrets out of the database). Tests may set the same names as Django settings
(`override_settings(MEETOPS_WECOM_CORP_ID=…)`). Saved secrets are encrypted with Fernet under a
key derived from SECRET_KEY, and the page never shows them again: it says "saved".
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError

from meetops.workim.models import PlatformConfig
from meetops.workim.platforms import get_platform

CACHE_KEY = "workim:config:{platform}"
CACHE_SECONDS = 60


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"meetops.workim.config\n{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """The plain text of a saved secret ("" when SECRET_KEY changed since it was saved)."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return ""


def _saved(platform: str) -> dict[str, Any]:
    key = CACHE_KEY.format(platform=platform)
    found = cache.get(key)
    if found is None:
        try:
            row = PlatformConfig.objects.filter(platform=platform).first()
        except DatabaseError:
            # Not migrated yet (`meetops check`, a first start): nothing saved, the
            # environment alone decides; not cached, so the saved values count once it is.
            return {}
        found = dict(row.values) if row else {}
        cache.set(key, found, CACHE_SECONDS)
    return found


def forget(platform: str) -> None:
    cache.delete(CACHE_KEY.format(platform=platform))


def from_environment(env: str) -> str | None:
    """The variable's value, from Django settings (tests) or the environment; None if unset."""
    value = getattr(settings, env, None)
    if value is None:
        value = os.environ.get(env)
    return None if value is None or str(value).strip() == "" else str(value).strip()


@dataclass(frozen=True)
class Source:
    """Where a field's value comes from, for the admin page (never the secret itself)."""

    name: str
    origin: str  # "environment" | "saved" | "default" | "missing"
    shown: str  # the value, or "" for secrets


def source(platform: str, field_name: str) -> Source:
    f = get_platform(platform).field(field_name)
    env = from_environment(f.env)
    if env is not None:
        return Source(field_name, "environment", "" if f.secret else env)
    saved = _saved(platform).get(field_name)
    if saved:
        return Source(field_name, "saved", "" if f.secret else str(saved))
    if f.default:
        return Source(field_name, "default", f.default)
    return Source(field_name, "missing", "")


def value(platform: str, field_name: str) -> str:
    """The setting's value in plain text ("" when it has none)."""
    f = get_platform(platform).field(field_name)
    env = from_environment(f.env)
    if env is not None:
        return env
    saved = _saved(platform).get(field_name)
    if saved:
        return decrypt(str(saved)) if f.secret else str(saved)
    return f.default
