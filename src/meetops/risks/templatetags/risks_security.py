"""Template tags for the parts of the security plan other apps' pages show through page slots:
the door check at the sign-in desk, the posts on the staffing plan and the meeting page."""

from __future__ import annotations

from typing import Any

from django import template

from meetops.risks.permissions import can_read_security
from meetops.risks.security import selectors

register = template.Library()


@register.simple_tag
def door_check(meeting: Any, participant: Any) -> selectors.DoorCheck | None:
    """Whether the person is on the approved door list; None when there is no list to check.
    One query per page, whatever the number of people shown."""
    if meeting is None or participant is None or not getattr(participant, "pk", None):
        return None
    return selectors.door_check(meeting, participant)


@register.simple_tag
def security_posts(meeting: Any) -> list[Any]:
    """The plan's posts with their guards (for the staffing plan)."""
    return selectors.posts_of(selectors.security_plan_of(meeting))


@register.simple_tag
def my_security_posts(user: Any, meeting: Any) -> list[Any]:
    if not getattr(user, "is_authenticated", False):
        return []
    return selectors.posts_of_user(user, meeting)


@register.simple_tag
def may_read_security(user: Any, meeting: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and can_read_security(user, meeting)
