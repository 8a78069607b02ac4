"""Who may do what with invitations. Pure predicates."""

from __future__ import annotations

from meetops.invitations.models import SavedGroup
from meetops.meetings.models import Meeting
from meetops.meetings.permissions import can_manage_meeting
from meetops.people.models import Role, User


def can_manage_invitations(user: User, meeting: Meeting) -> bool:
    """Add people, send invitations, decide substitutes: the meeting's organisers."""
    return can_manage_meeting(user, meeting)


def can_edit_templates(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN, Role.ORGANISER)


def can_create_groups(user: User) -> bool:
    """Saved groups are an organiser's tool: organisers and admins keep them."""
    return user.is_authenticated and user.has_role(Role.ADMIN, Role.ORGANISER)


def can_use_group(user: User, group: SavedGroup) -> bool:
    """See the group and add it to a meeting: its owner, admins, and every organiser if shared."""
    return (
        user.is_admin
        or group.owner_id == user.pk
        or (group.shared and user.has_role(Role.ORGANISER))
    )


def can_edit_group(user: User, group: SavedGroup) -> bool:
    """Rename, change members, share or delete: the owner and admins only.

    Sharing lends a group to other organisers without letting them rewrite a
    list the owner curates.
    """
    return user.is_admin or group.owner_id == user.pk


def can_read_calendar_replies(user: User) -> bool:
    """The log of replies received by mail: admins (all of it) and organisers (their meetings')."""
    return user.is_authenticated and user.has_role(Role.ADMIN, Role.ORGANISER)
