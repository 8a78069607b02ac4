from django import template

from meetops.attendance.permissions import can_run_desk

register = template.Library()


@register.filter
def desk_for(meeting, user) -> bool:
    """Whether the user may open the meeting's sign-in desk (for the link on the meeting page)."""
    return can_run_desk(user, meeting)
