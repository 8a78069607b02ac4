"""Saved groups API, mounted at `/groups`: the same services as the groups pages."""

from datetime import datetime
from typing import TypedDict

from django.db.models import QuerySet
from ninja import Field, Router, Schema, Status

from meetops.core.errors import PermissionDenied
from meetops.core.schemas import DbId
from meetops.core.web import AuthedRequest
from meetops.invitations import selectors
from meetops.invitations.api import department_or_422
from meetops.invitations.models import SavedGroup
from meetops.invitations.permissions import can_create_groups, can_edit_group
from meetops.invitations.services import groups as service
from meetops.people.models import Department, ExternalContact, User

groups_router = Router(tags=["saved groups"])


class MemberOut(Schema):
    id: int
    name: str
    email: str
    organisation: str


class GroupOut(Schema):
    id: int
    name: str
    shared: bool
    owner_id: DbId
    owner: str
    created_at: datetime
    can_edit: bool
    users: list[MemberOut]
    contacts: list[MemberOut]


class GroupIn(Schema):
    name: str = Field(..., max_length=150)
    shared: bool = False


class GroupPatch(Schema):
    name: str | None = Field(None, max_length=150)
    shared: bool | None = None


class MembersIn(Schema):
    user_ids: list[DbId] = Field(default_factory=list, max_length=10000)
    contact_ids: list[DbId] = Field(default_factory=list, max_length=10000)
    department_id: DbId | None = Field(None, description="adds everyone now in that subtree")


class RemoveMembersIn(Schema):
    user_ids: list[DbId] = Field(default_factory=list, max_length=10000)
    contact_ids: list[DbId] = Field(default_factory=list, max_length=10000)


def _out(group: SavedGroup, user: User) -> dict[str, object]:
    users, contacts = selectors.group_members(group)
    return {
        "id": group.pk,
        "name": group.name,
        "shared": group.shared,
        "owner_id": group.owner_id,
        "owner": str(group.owner),
        "created_at": group.created_at,
        "can_edit": can_edit_group(user, group),
        "users": [
            {"id": u.pk, "name": str(u), "email": u.email, "organisation": str(u.department or "")}
            for u in users
        ],
        "contacts": [
            {"id": c.pk, "name": c.name, "email": c.email, "organisation": c.organisation}
            for c in contacts
        ],
    }


class _Members(TypedDict):
    users: QuerySet[User]
    contacts: QuerySet[ExternalContact]
    department: Department | None


def _members(payload: MembersIn) -> _Members:
    return {
        "users": User.objects.filter(pk__in=payload.user_ids, is_active=True),
        "contacts": ExternalContact.objects.filter(pk__in=payload.contact_ids),
        "department": department_or_422(payload.department_id),
    }


@groups_router.get("", response=list[GroupOut], summary="The saved groups you may use")
def list_groups(request: AuthedRequest) -> list[dict[str, object]]:
    user = request.user
    if not can_create_groups(user):
        raise PermissionDenied()
    return [_out(g, user) for g in selectors.group_list_for(user)]


@groups_router.post("", response={201: GroupOut}, summary="Make a saved group")
def create_group(request: AuthedRequest, payload: GroupIn) -> Status:
    group = service.save_group(actor=request.user, name=payload.name, shared=payload.shared)
    return Status(201, _out(selectors.get_group_for_user(request.user, group.pk), request.user))


@groups_router.get("/{int:group_id}", response=GroupOut, summary="One group with its members")
def read_group(request: AuthedRequest, group_id: int) -> dict[str, object]:
    return _out(selectors.get_group_for_user(request.user, group_id), request.user)


@groups_router.patch(
    "/{int:group_id}", response=GroupOut, summary="Rename or share (owner, admins)"
)
def update_group(request: AuthedRequest, group_id: int, payload: GroupPatch) -> dict[str, object]:
    group = selectors.get_group_for_user(request.user, group_id, write=True)
    group = service.rename_group(
        group,
        actor=request.user,
        name=group.name if payload.name is None else payload.name,
        shared=payload.shared,
    )
    return _out(selectors.get_group_for_user(request.user, group.pk), request.user)


@groups_router.delete("/{int:group_id}", response={204: None}, summary="Delete the group")
def delete_group(request: AuthedRequest, group_id: int) -> Status:
    group = selectors.get_group_for_user(request.user, group_id, write=True)
    service.delete_group(group, actor=request.user)
    return Status(204, None)


@groups_router.post(
    "/{int:group_id}/members",
    response=GroupOut,
    summary="Add users, contacts and everyone now in a department",
)
def add_members(request: AuthedRequest, group_id: int, payload: MembersIn) -> dict[str, object]:
    group = selectors.get_group_for_user(request.user, group_id, write=True)
    service.add_group_members(group, actor=request.user, **_members(payload))
    return _out(selectors.get_group_for_user(request.user, group_id), request.user)


@groups_router.post("/{int:group_id}/members/remove", response=GroupOut, summary="Remove members")
def remove_members(
    request: AuthedRequest, group_id: int, payload: RemoveMembersIn
) -> dict[str, object]:
    group = selectors.get_group_for_user(request.user, group_id, write=True)
    service.remove_group_members(
        group,
        actor=request.user,
        user_ids=payload.user_ids,
        contact_ids=payload.contact_ids,
    )
    return _out(selectors.get_group_for_user(request.user, group_id), request.user)
