"""What promotion does when people join an audience (the people app's `people_joined`, sent
after commit by people, identity and invitations, which name no announcement)."""

from __future__ import annotations

from typing import Any

from meetops.people.models import User
from meetops.promotion.services import reach_late_joiner


def announcements_for_joiners(sender: Any, *, user_ids: list[int], **kwargs: Any) -> None:
    """Each person who joined a department or group gets, once, the announcements of upcoming
    meetings made to it before they were in it."""
    for user in User.objects.filter(pk__in=user_ids, is_active=True).select_related("department"):
        reach_late_joiner(user)
