"""The announcements a public meeting's public page shows (its page slot "event.notices")."""

from __future__ import annotations

from django import template

from meetops.meetings.models import Meeting
from meetops.promotion.models import Announcement
from meetops.promotion.selectors import public_notices

register = template.Library()


@register.simple_tag
def public_announcements(meeting: Meeting) -> list[Announcement]:
    return list(public_notices(meeting)[:5])
