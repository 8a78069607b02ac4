"""Saved groups pages: list and create, then one group's name, sharing and members."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.web import AuthedRequest, cleaned, errors_onto, say_saved
from meetops.invitations import forms, selectors
from meetops.invitations.models import SavedGroup
from meetops.invitations.permissions import can_create_groups, can_edit_group
from meetops.invitations.services import groups as service


def _load(request: AuthedRequest, pk: int, *, write: bool = False) -> SavedGroup:
    return selectors.get_group_for_user(request.user, pk, write=write)


def _organisers_only(request: AuthedRequest) -> None:
    if not can_create_groups(request.user):
        raise Http404


@login_required
def group_list(request: AuthedRequest) -> HttpResponse:
    """My groups and the groups shared with me; a form to make a new one."""
    _organisers_only(request)
    form = forms.GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_onto(form):
            group = service.save_group(actor=request.user, **form.cleaned_data)
            messages.success(
                request, _("Group “%(name)s” created. Now add its members.") % {"name": group.name}
            )
            return redirect("invitations:group", pk=group.pk)
    groups = list(selectors.group_list_for(request.user))
    return render(
        request,
        "invitations/groups.html",
        {
            "form": form,
            "mine": [g for g in groups if g.owner_id == request.user.pk],
            "others": [g for g in groups if g.owner_id != request.user.pk],
            "nav_area": "groups",
        },
    )


@login_required
def group_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    group = _load(request, pk)
    users, contacts = selectors.group_members(group)
    editable = can_edit_group(request.user, group)
    return render(
        request,
        "invitations/group.html",
        {
            "group": group,
            "users": users,
            "contacts": contacts,
            "member_count": len(users) + len(contacts),
            "can_edit": editable,
            "form": forms.GroupForm(initial={"name": group.name, "shared": group.shared}),
            "members_form": forms.GroupMembersForm(group=group) if editable else None,
            "nav_area": "groups",
        },
    )


def _group_action(run: Callable[[AuthedRequest, SavedGroup], Any]) -> Callable[..., HttpResponse]:
    """A POST on one group by its editor, then the group page (a refusal: the error boundary)."""

    @login_required
    @require_POST
    def view(request: AuthedRequest, pk: int) -> HttpResponse:
        group = _load(request, pk, write=True)
        return run(request, group) or redirect("invitations:group", pk=pk)

    view.__doc__ = run.__doc__
    return view


@_group_action
def group_rename(request: AuthedRequest, group: SavedGroup) -> None:
    """Rename the group or change its sharing."""
    fields = cleaned(forms.GroupForm(request.POST))
    say_saved(request, service.rename_group(group, actor=request.user, **fields), _("Group saved."))


@_group_action
def group_add_members(request: AuthedRequest, group: SavedGroup) -> None:
    """Add users, contacts, or everyone now in a department."""
    fields = cleaned(forms.GroupMembersForm(request.POST))
    added = service.add_group_members(group, actor=request.user, **fields)
    messages.success(request, _("%(added)d added to the group.") % {"added": added})


@_group_action
def group_remove_member(request: AuthedRequest, group: SavedGroup) -> None:
    """Take one person off the group."""
    ids = {k: [int(v)] for k in ("user", "contact") if (v := request.POST.get(k, "")).isdigit()}
    removed = service.remove_group_members(
        group,
        actor=request.user,
        user_ids=ids.get("user", []),
        contact_ids=ids.get("contact", []),
    )
    if removed:
        messages.success(request, _("Removed from the group."))


@_group_action
def group_delete(request: AuthedRequest, group: SavedGroup) -> HttpResponse:
    """Delete the group; meetings keep the people added from it."""
    name = group.name
    service.delete_group(group, actor=request.user)
    messages.success(request, _("Group “%(name)s” deleted.") % {"name": name})
    return redirect("invitations:groups")
