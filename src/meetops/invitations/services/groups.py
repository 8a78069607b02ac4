"""Saved groups: named lists of people to add to meetings in one go.

A group holds users and external contacts. "Everyone in a department" is added
as the people in that subtree today (a snapshot): a group is a list the owner
curates, while the live department stays a source of its own on the
participants page. Organisers and admins make groups; only the owner (or an
admin) changes one. A shared group is usable by every organiser.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.invitations.models import SavedGroup
from meetops.invitations.permissions import can_create_groups, can_edit_group
from meetops.people.models import Department, ExternalContact, User
from meetops.people.selectors import users_in_department_subtree
from meetops.people.signals import joined


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("A name is required."), "name_required", field="name")
    if len(name) > 150:
        raise ValidationFailed(
            _("The name is too long (150 characters at most)."), "name_too_long", field="name"
        )
    return name


def _guard_edit(group: SavedGroup, actor: User) -> None:
    if not can_edit_group(actor, group):
        raise PermissionDenied(_("Only the group's owner or an admin may change it."))


def _locked(group: SavedGroup) -> SavedGroup:
    return SavedGroup.objects.select_for_update().get(pk=group.pk)


def _members(group: SavedGroup) -> dict[str, int]:
    return {"users": group.users.count(), "contacts": group.contacts.count()}


def save_group(
    *,
    actor: User,
    name: str,
    users: Iterable[User] = (),
    contacts: Iterable[ExternalContact] = (),
    shared: bool = False,
    group: SavedGroup | None = None,
) -> SavedGroup:
    """Create a group (organisers) or replace an existing group's name and members (its owner)."""
    if group is None and not can_create_groups(actor):
        raise PermissionDenied()
    if group is not None:
        _guard_edit(group, actor)
    name = _clean_name(name)
    with transaction.atomic():
        if group is None:
            group = SavedGroup.objects.create(name=name, owner=actor, shared=shared)
            action = "invitations.group.created"
        else:
            group = _locked(group)
            group.name, group.shared = name, shared
            group.save(update_fields=["name", "shared"])
            action = "invitations.group.updated"
        before = set(group.users.values_list("pk", flat=True))
        group.users.set(list(users))
        group.contacts.set(list(contacts))
        joined({u.pk for u in users} - before, what="group")
        audit.record(action, group, actor=actor, data=_members(group))
    return group


def rename_group(
    group: SavedGroup, *, actor: User, name: str, shared: bool | None = None
) -> SavedGroup:
    """Change a group's name and whether other organisers may use it. Owner or admin."""
    _guard_edit(group, actor)
    name = _clean_name(name)
    with transaction.atomic():
        group = _locked(group)
        before = audit.snapshot(group, ["name", "shared"])
        group.name = name
        if shared is not None:
            group.shared = shared
        changes = audit.record_changes(
            "invitations.group.updated",
            group,
            actor=actor,
            before=before,
            after=audit.snapshot(group, ["name", "shared"]),
        )
        if changes:
            group.save(update_fields=list(changes))
        audit.note_outcome(group, changes)
    return group


def add_group_members(
    group: SavedGroup,
    *,
    actor: User,
    users: Iterable[User] = (),
    contacts: Iterable[ExternalContact] = (),
    department: Department | None = None,
) -> int:
    """Add users, contacts and everyone now in a department subtree. Returns how many were new."""
    _guard_edit(group, actor)
    user_ids = {u.pk for u in users}
    if department is not None:
        user_ids |= set(users_in_department_subtree(department).values_list("pk", flat=True))
    contact_ids = {c.pk for c in contacts}
    if not user_ids and not contact_ids:
        raise ValidationFailed(
            _("Choose at least one person, contact or department."), "nobody_chosen"
        )
    with transaction.atomic():
        group = _locked(group)
        user_ids -= set(group.users.values_list("pk", flat=True))
        contact_ids -= set(group.contacts.values_list("pk", flat=True))
        group.users.add(*user_ids)
        joined(user_ids, what="group")
        group.contacts.add(*contact_ids)
        added = len(user_ids) + len(contact_ids)
        if added:
            audit.record(
                "invitations.group.members_added",
                group,
                actor=actor,
                data={
                    "users": sorted(user_ids),
                    "contacts": sorted(contact_ids),
                    "department": department.pk if department else None,
                },
            )
    return added


def remove_group_members(
    group: SavedGroup,
    *,
    actor: User,
    user_ids: Iterable[int] = (),
    contact_ids: Iterable[int] = (),
) -> int:
    """Take people off the group (never off meetings they were already added to). Returns how many."""
    _guard_edit(group, actor)
    with transaction.atomic():
        group = _locked(group)
        users = set(group.users.filter(pk__in=list(user_ids)).values_list("pk", flat=True))
        contacts = set(group.contacts.filter(pk__in=list(contact_ids)).values_list("pk", flat=True))
        group.users.remove(*users)
        group.contacts.remove(*contacts)
        if users or contacts:
            audit.record(
                "invitations.group.members_removed",
                group,
                actor=actor,
                data={"users": sorted(users), "contacts": sorted(contacts)},
            )
    return len(users) + len(contacts)


def delete_group(group: SavedGroup, *, actor: User) -> None:
    """Delete the group. Meetings keep the people who were added from it."""
    _guard_edit(group, actor)
    with transaction.atomic():
        group = _locked(group)
        audit.record(
            "invitations.group.deleted",
            group,
            actor=actor,
            data={"name": group.name, **_members(group)},
        )
        group.delete()
