"""Picking the text for the active language from fields kept in the three languages."""

from __future__ import annotations

from django.utils.translation import get_language

TRADITIONAL = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")


def in_active_language(zh_hans: str, zh_hant: str, en: str) -> str:
    """The text for the active language; Simplified Chinese when the other is empty."""
    lang = (get_language() or "zh-hans").lower()
    if lang.startswith("en"):
        return en or zh_hans
    if lang in TRADITIONAL:
        return zh_hant or zh_hans
    return zh_hans
