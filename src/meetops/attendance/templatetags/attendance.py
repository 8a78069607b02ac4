from django import template

from meetops.attendance.permissions import can_run_desk
from meetops.meetings.models import Meeting
from meetops.people.models import User

register = template.Library()


@register.filter
def desk_for(meeting: Meeting, user: User) -> bool:
    """Whether the user may open the meeting's sign-in desk (for the link on the meeting page)."""
    return can_run_desk(user, meeting)
