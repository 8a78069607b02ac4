from __future__ import annotations

from django.db.models import QuerySet

from meetops.people.models import Department, User


def users_in_department_subtree(department: Department) -> QuerySet[User]:
    return User.objects.filter(is_active=True, department__path__startswith=department.path)


def department_ids_of(user: User) -> list[int]:
    """The user's department and every department above it."""
    if not user.department_id or user.department is None:
        return []
    return [int(x) for x in user.department.path.strip("/").split("/") if x]
