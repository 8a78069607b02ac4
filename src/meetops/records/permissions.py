"""Who may see and change the archive. Pure predicates, used by UI, API and CLI alike.

Archivists and admins keep the whole archive (they are its custodians); everyone else
sees a dossier when they may see its meeting, so its confidentiality decides (P7.5).
"""

from __future__ import annotations

from meetops.meetings.models import Meeting, MeetingRole, Stage
from meetops.meetings.permissions import can_manage_meeting, can_view_meeting, meeting_roles_of
from meetops.people.models import Role, User
from meetops.records.models import Destruction, Dossier, DossierStatus

AFTER_THE_MEETING = frozenset({Stage.CONCLUDED, Stage.FOLLOWING_UP, Stage.CLOSED})


def is_archivist(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(Role.ARCHIVIST, Role.ADMIN)


def can_view_dossier(user: User, dossier: Dossier) -> bool:
    return is_archivist(user) or can_view_meeting(user, dossier.meeting)


def _files_meeting(user: User, meeting: Meeting) -> bool:
    """The meeting's recorder, its managers, and archivists."""
    return (
        is_archivist(user)
        or can_manage_meeting(user, meeting)
        or MeetingRole.RECORDER in meeting_roles_of(user, meeting)
    )


def can_file_meeting(user: User, meeting: Meeting) -> bool:
    """File (or gather again) a meeting after it took place."""
    return meeting.stage in AFTER_THE_MEETING and _files_meeting(user, meeting)


def can_change_dossier(user: User, dossier: Dossier) -> bool:
    """Add or correct documents: filers while filed; after final filing only archivists."""
    if dossier.status == DossierStatus.DESTROYED:
        return False
    if dossier.status == DossierStatus.FINAL:
        return is_archivist(user)
    return _files_meeting(user, dossier.meeting)


def can_approve_destruction(user: User, destruction: Destruction) -> bool:
    """Leaders and admins, never the person who proposed it."""
    return (
        user.is_authenticated
        and user.has_role(Role.LEADER, Role.ADMIN)
        and destruction.proposed_by_id != user.pk
    )
