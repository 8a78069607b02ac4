from __future__ import annotations

from django.db.models import Q, QuerySet

from meetops.people.models import Department, User
from meetops.people.names import NameOrder, order_fields, pinyin_query


def users_in_department_subtree(department: Department) -> QuerySet[User]:
    return User.objects.filter(is_active=True, department__path__startswith=department.path)


def department_ids_of(user: User) -> list[int]:
    """The user's department and every department above it."""
    if not user.department_id or user.department is None:
        return []
    return [int(x) for x in user.department.path.strip("/").split("/") if x]


def by_name(users: QuerySet[User], ordering: str = NameOrder.PINYIN) -> QuerySet[User]:
    """People in name order: pinyin (surname readings), or 姓氏笔画 with `ordering="strokes"`."""
    return users.order_by(*order_fields(ordering), "username")


def find_people(q: str, *, ordering: str = NameOrder.PINYIN) -> QuerySet[User]:
    """Active people whose name, user name or e-mail contains `q`, or whose name's pinyin
    starts with it (wangfang, wang f, wf → 王芳); in name order. The people picker's search."""
    users = User.objects.filter(is_active=True).select_related("department")
    q = q.strip()[:100]
    if q:
        match = (
            Q(display_name__icontains=q)
            | Q(username__icontains=q)
            | Q(email__icontains=q)
            | Q(last_name__icontains=q)
            | Q(first_name__icontains=q)
        )
        by_pinyin = pinyin_query(q)
        users = users.filter(match | by_pinyin if by_pinyin is not None else match)
    return by_name(users, ordering)
