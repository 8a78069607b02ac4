"""Saved groups: named lists of people to add to meetings in one go."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.invitations.models import SavedGroup
from meetops.invitations.permissions import can_edit_group, can_edit_templates
from meetops.people.models import ExternalContact, User


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
    if group is None and not can_edit_templates(actor):
        raise PermissionDenied()
    if group is not None and not can_edit_group(actor, group):
        raise PermissionDenied()
    name = name.strip()
    if not name:
        raise ValidationFailed(_("A name is required."), "name_required", field="name")
    with transaction.atomic():
        if group is None:
            group = SavedGroup.objects.create(name=name[:150], owner=actor, shared=shared)
            action = "invitations.group.created"
        else:
            group.name, group.shared = name[:150], shared
            group.save(update_fields=["name", "shared"])
            action = "invitations.group.updated"
        group.users.set(list(users))
        group.contacts.set(list(contacts))
        audit.record(
            action,
            group,
            actor=actor,
            data={"users": group.users.count(), "contacts": group.contacts.count()},
        )
    return group
