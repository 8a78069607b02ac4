from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import reduce
from operator import or_
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    CharField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.lookups import StartsWith

from meetops.people.models import Department, DepartmentHead, RoleAssignment, User
from meetops.people.names import NameOrder, order_fields, pinyin_query


def users_in_department_subtree(department: Department) -> QuerySet[User]:
    return User.objects.filter(is_active=True, department__path__startswith=department.path)


def department_ids_of(user: User) -> list[int]:
    """The user's department and every department above it."""
    if not user.department_id or user.department is None:
        return []
    return [int(x) for x in user.department.path.strip("/").split("/") if x]


class HeldRoles(Expression):
    """An annotation: the roles account `user_id` is assigned, comma-separated (NULL: none),
    for a hot read to bring the caller's roles along (`remember_held_roles`) instead of
    `held_role_codes` asking a statement of its own. Role codes have no commas."""

    output_field = CharField()

    def __init__(self, user_id: int) -> None:
        super().__init__()
        self.user_id = user_id

    def as_sql(
        self, compiler: Any, connection: BaseDatabaseWrapper, function: str = "GROUP_CONCAT"
    ) -> tuple[str, tuple[Any, ...]]:
        q = connection.ops.quote_name
        role = q(RoleAssignment.role.field.column or "role")
        user = q(RoleAssignment.user.field.column)
        # Only the model's own names are interpolated; the user id is a parameter.
        return (
            f"(SELECT {function}({role}, ',') FROM {q(RoleAssignment._meta.db_table)} "  # noqa: S608
            f"WHERE {user} = %s)",
            (self.user_id,),
        )

    def as_postgresql(
        self, compiler: Any, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        return self.as_sql(compiler, connection, function="STRING_AGG")


def remember_held_roles(user: User, listed: str | None) -> None:
    """Keep the roles a `HeldRoles` annotation read on the account, as if it had asked
    (`User.held_role_codes`), unless it already knows them."""
    if user.pk and "held_role_codes" not in user.__dict__:
        user.__dict__["held_role_codes"] = user.roles_from(listed.split(",") if listed else ())


def prime_people(users: Sequence[User]) -> None:
    """Read the roles and departments of many people in two queries, kept on each account as
    if each had asked (`held_role_codes`, `department`): for work done per person in a batch
    (core.inbox.waiting_for_many)."""
    unread = [u for u in users if u.pk and "held_role_codes" not in u.__dict__]
    if unread:
        assigned: dict[int, list[str]] = defaultdict(list)
        rows = RoleAssignment.objects.filter(user__in=[u.pk for u in unread])
        for user_id, role in rows.values_list("user_id", "role"):
            assigned[user_id].append(role)
        for user in unread:
            user.__dict__["held_role_codes"] = user.roles_from(assigned[user.pk])
    field = User._meta.get_field("department")
    missing = [u for u in users if u.department_id and not field.is_cached(u)]
    if missing:
        found = Department.objects.in_bulk({u.department_id for u in missing})
        for user in missing:
            field.set_cached_value(user, found.get(user.department_id))


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


# --- department heads (ADR 0022) -----------------------------------------------------------


def heads_of(department: Department) -> list[User]:
    """The active heads of this department itself, in name order."""
    return list(
        by_name(User.objects.filter(is_active=True, headships__department=department)).distinct()
    )


def headed_department_ids(user: User) -> frozenset[int]:
    """The departments `user` heads and every department below them (two queries, once per
    user object)."""
    cached: frozenset[int] | None = getattr(user, "_headed_department_ids", None)
    if cached is not None:
        return cached
    ids: frozenset[int] = frozenset()
    if user.is_authenticated and user.is_active:
        paths = list(
            DepartmentHead.objects.filter(user=user).values_list("department__path", flat=True)
        )
        if paths:
            below = reduce(or_, (Q(path__startswith=p) for p in paths if p))
            ids = frozenset(Department.objects.filter(below).values_list("pk", flat=True))
    user._headed_department_ids = ids  # type: ignore[attr-defined]
    return ids


def headed_by_q(user: User, department_field: str) -> Q:
    """Rows whose department (`department_field`, a lookup to a Department) lies in a subtree
    `user` heads: one subquery, no query of its own (for lists with pinned query counts)."""
    row_path = ExpressionWrapper(OuterRef(f"{department_field}__path"), output_field=CharField())
    heads = DepartmentHead.objects.filter(
        StartsWith(row_path, F("department__path")), user_id=user.pk
    )
    return Q(Exists(heads))


def is_head(user: User) -> bool:
    return bool(headed_department_ids(user))


def heads_above(department: Department | None, *, besides: User | None = None) -> list[User]:
    """Who a problem of this department goes to first: its own heads, or, when it has none
    (or its only head is `besides`, the person the problem is about), the heads of the
    nearest department above that has some. One query; [] when nobody up the tree heads."""
    if department is None:
        return []
    chain = [int(x) for x in department.path.strip("/").split("/") if x] or [department.pk]
    rows = (
        DepartmentHead.objects.filter(department_id__in=chain, user__is_active=True)
        .select_related("user")
        .order_by(*order_fields(NameOrder.PINYIN, "user__"), "user__username")
    )
    if besides is not None:
        rows = rows.exclude(user=besides)
    by_department: dict[int, list[User]] = {}
    for row in rows:
        by_department.setdefault(row.department_id, []).append(row.user)
    for dept_id in reversed(chain):
        if by_department.get(dept_id):
            return by_department[dept_id]
    return []
