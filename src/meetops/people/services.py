"""Writes for people: accounts, roles, departments, contacts, API tokens."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.people.duties import check_duties
from meetops.people.models import (
    SOD_ROLES,
    ApiToken,
    Department,
    DepartmentHead,
    ExternalContact,
    Role,
    RoleAssignment,
    User,
    separation_of_duties,
)
from meetops.people.names import KEY_FIELDS, NameKeys
from meetops.people.permissions import can_manage_roles
from meetops.people.signals import joined

TOKEN_PREFIX = "mo_"  # noqa: S105 - a public marker, not a secret


def _require_admin(actor: User | None) -> None:
    # actor=None means the operator at the command line, who owns the machine. Accounts are
    # the system administrator's, with separation of duties too.
    if actor is not None and not actor.is_system_admin:
        raise PermissionDenied()


def _check_role_grant(roles: Iterable[str], *, username: str, actor: User | None) -> None:
    """Who may grant these roles, and whether one account may hold them all (SoD)."""
    check_duties(roles, username=username)
    if actor is None or not separation_of_duties():
        return
    if not can_manage_roles(actor) and set(roles) & set(SOD_ROLES):
        raise PermissionDenied(
            _(
                "Under separation of duties only the security administrator grants administrator roles."
            ),
            "duties_grant",
        )


def create_user(
    *,
    username: str,
    actor: User | None,
    password: str | None = None,
    roles: Iterable[str] = (Role.MEMBER,),
    display_name: str = "",
    email: str = "",
    department: Department | None = None,
    title: str = "",
    phone: str = "",
) -> User:
    """Create an account with its global roles. Admins (or the CLI operator) only."""
    _require_admin(actor)
    roles = list(dict.fromkeys(roles))
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationFailed(_("Unknown role: %(role)s") % {"role": unknown[0]}, "unknown_role")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("That username is taken."), "username_taken", username=username)
    _check_role_grant(roles, username=username, actor=actor)
    with transaction.atomic():
        user = User(
            username=username,
            display_name=display_name,
            email=email,
            department=department,
            title=title,
            phone=phone,
            is_staff=Role.ADMIN in roles,
            is_superuser=Role.ADMIN in roles,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in roles])
        audit.record("people.user.created", user, actor=actor, data={"roles": roles})
        if department is not None:
            joined([user.pk], what="department")
    return user


def set_roles(user: User, *, roles: Iterable[str], actor: User | None) -> User:
    """Replace a user's global roles. The security administrator's under SoD (admins' otherwise).

    Refuses two administrator roles on one account under SoD (`duties_conflict`), and a
    security administrator changing their own roles.
    """
    if actor is not None and not can_manage_roles(actor):
        raise PermissionDenied()
    new = set(roles)
    if new - set(Role.values):
        raise ValidationFailed(_("Unknown role."), "unknown_role")
    if actor is not None and actor.pk == user.pk and separation_of_duties():
        raise PermissionDenied(
            _("Under separation of duties nobody changes their own roles."), "duties_own_roles"
        )
    check_duties(new, username=user.username)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        old = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
        RoleAssignment.objects.filter(user=user).exclude(role__in=new).delete()
        RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in new - old])
        user.is_staff = user.is_superuser = Role.ADMIN in new
        user.save(update_fields=["is_staff", "is_superuser"])
        audit.record(
            "people.user.roles_changed",
            user,
            actor=actor,
            changes={"roles": [sorted(old), sorted(new)]},
        )
    user.__dict__.pop("role_codes", None)
    user.__dict__.pop("held_role_codes", None)
    return user


def set_language(user: User, *, language: str, actor: User) -> User:
    """Remember the user's interface language ('' follows the browser)."""
    if actor.pk != user.pk:
        _require_admin(actor)
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationFailed(_("Unknown language."), "unknown_language")
    with transaction.atomic():
        before = user.language
        user.language = language
        user.save(update_fields=["language"])
        audit.record(
            "people.user.language_changed",
            user,
            actor=actor,
            changes={"language": [before, language]},
        )
    return user


def set_time_zone(user: User, *, time_zone: str, actor: User) -> User:
    """Show times to the user in this zone ('' follows the site's zone)."""
    if actor.pk != user.pk:
        _require_admin(actor)
    if time_zone and time_zone not in available_time_zones():
        raise ValidationFailed(_("Unknown time zone."), "unknown_time_zone", field="time_zone")
    with transaction.atomic():
        before = user.time_zone
        user.time_zone = time_zone
        user.save(update_fields=["time_zone"])
        audit.record(
            "people.user.time_zone_changed",
            user,
            actor=actor,
            changes={"time_zone": [before, time_zone]},
        )
    return user


def available_time_zones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def create_department(
    *,
    name: str,
    actor: User | None,
    parent: Department | None = None,
    name_en: str = "",
    order: int = 0,
) -> Department:
    _require_admin(actor)
    with transaction.atomic():
        dept = Department.objects.create(name=name, name_en=name_en, parent=parent, order=order)
        dept.path = f"{parent.path if parent else '/'}{dept.pk}/"
        dept.save(update_fields=["path"])
        audit.record("people.department.created", dept, actor=actor)
    return dept


def rebuild_department_paths() -> None:
    """Recompute every department's materialised path from the parent links."""
    with transaction.atomic():
        by_parent: dict[int | None, list[Department]] = {}
        for dept in Department.objects.select_for_update().order_by("pk"):
            by_parent.setdefault(dept.parent_id, []).append(dept)
        stack = [(d, "/") for d in by_parent.get(None, [])]
        while stack:
            dept, prefix = stack.pop()
            path = f"{prefix}{dept.pk}/"
            if dept.path != path:
                dept.path = path
                dept.save(update_fields=["path"])
            stack.extend((child, path) for child in by_parent.get(dept.pk, []))


def set_department_heads(
    department: Department, *, heads: Iterable[User], actor: User | None
) -> list[User]:
    """Make exactly these people the department's heads (部门负责人), as an administrator says.

    A head the directory named and the administrator leaves out is removed now, and comes
    back at the next sync while the directory still names them (ADR 0022). A head gains rights
    over the department's people and their work: choosing heads is managing roles, the
    security administrator's under separation of duties."""
    if actor is not None and not can_manage_roles(actor):
        raise PermissionDenied()
    wanted = {u.pk: u for u in heads}
    if any(not u.is_active for u in wanted.values()):
        raise ValidationFailed(_("Unknown user."), "unknown_user", field="heads")
    with transaction.atomic():
        Department.objects.select_for_update().filter(pk=department.pk).first()
        rows = {r.user_id: r for r in DepartmentHead.objects.filter(department=department)}
        removed = [pk for pk in rows if pk not in wanted]
        added = [pk for pk in wanted if pk not in rows]
        DepartmentHead.objects.filter(department=department, user_id__in=removed).delete()
        DepartmentHead.objects.bulk_create(
            [DepartmentHead(department=department, user_id=pk) for pk in added]
        )
        if removed or added:
            _record_heads(
                department, added=set(added), removed=set(removed), actor=actor, source=""
            )
    return [wanted[pk] for pk in wanted]


def sync_department_heads(
    *,
    source: str,
    wanted: set[tuple[int, int]],
    departments: Iterable[int] | None = None,
    users: Iterable[int] | None = None,
    actor: User | None = None,
) -> int:
    """Bring the heads a directory (`source`, the provider key) names in line with `wanted`,
    pairs of (department id, user id), within the departments or people it spoke about.

    Only the directory's own rows are removed; a head an administrator set stays. Returns
    how many rows changed. Call inside the sync's transaction."""
    scope = Q()
    if departments is not None:
        scope |= Q(department_id__in=list(departments))
    if users is not None:
        scope |= Q(user_id__in=list(users))
    current = DepartmentHead.objects.filter(scope) if scope else DepartmentHead.objects.none()
    rows = {(r.department_id, r.user_id): r for r in current}
    stale = [r for pair, r in rows.items() if r.source == source and pair not in wanted]
    fresh = [pair for pair in wanted if pair not in rows]
    DepartmentHead.objects.filter(pk__in=[r.pk for r in stale]).delete()
    DepartmentHead.objects.bulk_create(
        [DepartmentHead(department_id=d, user_id=u, source=source) for d, u in fresh]
    )
    for dept in Department.objects.filter(
        pk__in={r.department_id for r in stale} | {d for d, _u in fresh}
    ).order_by("pk"):
        _record_heads(
            dept,
            added={u for d, u in fresh if d == dept.pk},
            removed={r.user_id for r in stale if r.department_id == dept.pk},
            actor=actor,
            source=source,
        )
    return len(stale) + len(fresh)


def _record_heads(
    department: Department, *, added: set[int], removed: set[int], actor: User | None, source: str
) -> None:
    names = dict(User.objects.filter(pk__in=added | removed).values_list("pk", "username"))
    audit.record(
        "people.department.heads_changed",
        department,
        actor=actor,
        data={
            "added": sorted(names[p] for p in added),
            "removed": sorted(names[p] for p in removed),
            **({"provider": source} if source else {}),
        },
    )


def create_contact(*, name: str, actor: User | None, **fields: str) -> ExternalContact:
    if actor is not None and not actor.has_role(Role.ADMIN, Role.ORGANISER, Role.STAFF):
        raise PermissionDenied()
    with transaction.atomic():
        contact = ExternalContact.objects.create(name=name, **fields)
        audit.record("people.contact.created", contact, actor=actor)
    return contact


def create_api_token(user: User, *, actor: User | None, name: str = "") -> tuple[ApiToken, str]:
    """Issue a personal token. Returns the row and the token, which is never stored."""
    if actor is not None and actor.pk != user.pk:
        _require_admin(actor)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=raw[:10], digest=ApiToken.digest_of(raw)
        )
        audit.record("people.token.created", token, actor=actor, data={"user": user.username})
    return token, raw


def revoke_api_token(token: ApiToken, *, actor: User) -> ApiToken:
    if actor.pk != token.user_id:
        _require_admin(actor)
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record("people.token.revoked", token, actor=actor)
    return token


def user_for_token(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy client must not turn every read into a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def recompute_name_keys(*, batch: int = 500) -> dict[str, int]:
    """Recompute the stored name keys of every model that has them (accounts, contacts,
    participants: found through the app registry, so people names no higher app).

    For the operator (`meetops names recompute`) after `MEETOPS_STROKE_ORDER` changes or the
    surname tables grow; a derived column, so no audit entry. Returns rows changed per model.
    """
    counts: dict[str, int] = {}
    for model in apps.get_models():
        if not issubclass(model, NameKeys):
            continue
        changed: list[NameKeys] = []
        total = 0
        for row in model._default_manager.order_by("pk").iterator(chunk_size=batch):
            if row.fill_name_keys():
                changed.append(row)
            if len(changed) >= batch:
                total += model._default_manager.bulk_update(changed, list(KEY_FIELDS))
                changed = []
        if changed:
            total += model._default_manager.bulk_update(changed, list(KEY_FIELDS))
        counts[model._meta.label] = total
    return counts
