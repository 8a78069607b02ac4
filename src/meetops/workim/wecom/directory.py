"""WeCom's address book as an identity provider for directory sync (reference §1.2)."""

from __future__ import annotations

from meetops.workim.directory import ImDirectory


class WeComDirectory(ImDirectory):
    platform_key = "wecom"
