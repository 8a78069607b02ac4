"""Who may do what with training. Pure predicates."""

from __future__ import annotations

from meetops.people.models import Role, User
from meetops.people.selectors import headed_department_ids

# Who reads every department's coverage: those who run the office's meetings and approve them.
OVERSEERS = (Role.ADMIN, Role.ORGANISER, Role.LEADER)


def can_manage_training(user: User) -> bool:
    """Needs, courses, materials, sessions, verifying external records: administrators."""
    return user.is_active and user.is_admin


def sees_every_department(user: User) -> bool:
    return user.is_active and user.has_role(*OVERSEERS)


def can_see_coverage(user: User) -> bool:
    """The coverage page's table: overseers, and department heads for their departments."""
    return sees_every_department(user) or bool(headed_department_ids(user))


def can_see_records_of(viewer: User, person: User) -> bool:
    """A person's training records: themself, overseers, the heads of their department."""
    if viewer.pk == person.pk or sees_every_department(viewer):
        return True
    return bool(person.department_id) and person.department_id in headed_department_ids(viewer)


def can_enter_external_for(actor: User, person: User) -> bool:
    """External training is entered by the person, or by an administrator for anyone."""
    return actor.pk == person.pk or can_manage_training(actor)
