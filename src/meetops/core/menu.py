"""The main menu and the page slots, filled from the registry: core names no app here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from meetops.core.registry import Meeting, MeetingLink, MenuEntry, TemplateSlot, registry, visible

if TYPE_CHECKING:
    from meetops.people.models import User  # the AUTH_USER_MODEL, for typing only


def menu_for(user: User) -> list[MenuEntry]:
    """The menu entries this user sees, in order."""
    entries: list[MenuEntry] = registry["menu"].ordered()
    return [entry for entry in entries if visible(entry, user)]


def nav_area_of(view_name: str, url_name: str) -> str:
    """The menu area a page belongs to: an entry's own page first, then the entries' page prefixes."""
    entries: list[MenuEntry] = [e for e in registry["menu"].ordered() if e.area]
    for entry in entries:
        if entry.url_name == view_name:
            return entry.area
    for entry in entries:
        if entry.pages and url_name.startswith(entry.pages):
            return entry.area
    return ""


def toolbar_templates() -> list[str]:
    slots: list[TemplateSlot] = registry["toolbar"].ordered()
    return [slot.template for slot in slots]


def page_slot_templates(slot: str) -> list[str]:
    """The templates apps put into a named slot of a lower app's page, in order."""
    slots: list[TemplateSlot] = registry["page_slots"].ordered()
    return [entry.template for entry in slots if entry.slot == slot]


def visible_meeting_links(
    slot: str, user: User, meeting: Meeting, can_manage: bool
) -> list[MeetingLink]:
    """The links of one slot of the meeting page this user sees, in order."""
    links: list[MeetingLink] = registry["meeting_links"].ordered()
    return [
        link
        for link in links
        if link.slot == slot
        and (link.visible is None or link.visible(user, meeting, bool(can_manage)))
    ]


def meeting_links(slot: str, user: User, meeting: Meeting, can_manage: bool) -> list[str]:
    """The templates of one slot of the meeting page this user sees, in order."""
    return [link.template for link in visible_meeting_links(slot, user, meeting, can_manage)]
