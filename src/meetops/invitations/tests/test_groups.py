"""Saved groups: the service rules, the pages by persona, the API, and using a group on a meeting."""

from __future__ import annotations

import pytest

from meetops.core.models import AuditEntry
from meetops.invitations.models import SavedGroup
from meetops.invitations.services import groups
from meetops.people import services as people_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_organiser(make_user):
    return make_user("organiser2", roles=("organiser",))


@pytest.fixture
def contact():
    return people_services.create_contact(name="马教授", actor=None, organisation="华东师大")


# ------------------------------------------------------------------ service


def test_owner_builds_a_group_from_users_contacts_and_a_department_snapshot(
    make_user, organiser, contact
):
    top = people_services.create_department(name="财务处", actor=None)
    sub = people_services.create_department(name="预算科", parent=top, actor=None)
    a, b = make_user("a", department=top), make_user("b", department=sub)
    group = groups.save_group(actor=organiser, name="  预算评审组  ")
    assert group.name == "预算评审组" and group.owner == organiser and not group.shared

    added = groups.add_group_members(group, actor=organiser, department=top, contacts=[contact])
    assert added == 3
    assert set(group.users.all()) == {a, b} and list(group.contacts.all()) == [contact]
    # Adding the same people again adds nobody; a newcomer to the department is not added by itself.
    make_user("c", department=sub)
    assert groups.add_group_members(group, actor=organiser, users=[a]) == 0
    assert group.users.count() == 2

    assert groups.remove_group_members(group, actor=organiser, user_ids=[b.pk]) == 1
    assert set(group.users.all()) == {a}
    actions = list(
        AuditEntry.objects.filter(object_type="savedgroup", object_id=str(group.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "invitations.group.created",
        "invitations.group.members_added",
        "invitations.group.members_removed",
    ]


def test_rename_share_and_delete_keep_meetings_people(make_meeting, make_user, organiser):
    from meetops.invitations.services import participants

    person = make_user("p")
    group = groups.save_group(actor=organiser, name="旧名", users=[person])
    groups.rename_group(group, actor=organiser, name="新名", shared=True)
    group.refresh_from_db()
    assert (group.name, group.shared) == ("新名", True)
    meeting = make_meeting()
    participants.add_people(meeting, actor=organiser, group=group)
    groups.delete_group(group, actor=organiser)
    assert not SavedGroup.objects.exists()
    assert meeting.participants.filter(user=person).exists()
    assert AuditEntry.objects.filter(action="invitations.group.deleted").exists()


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda g, a: groups.rename_group(g, actor=a, name=""), "name_required"),
        (lambda g, a: groups.rename_group(g, actor=a, name="x" * 151), "name_too_long"),
        (lambda g, a: groups.add_group_members(g, actor=a), "nobody_chosen"),
    ],
)
def test_bad_input_is_refused_with_a_code(organiser, call, code):
    from meetops.core.errors import DomainError

    group = groups.save_group(actor=organiser, name="组")
    with pytest.raises(DomainError) as exc:
        call(group, organiser)
    assert exc.value.code == code


def test_only_owner_or_admin_change_a_shared_group(
    organiser, other_organiser, member, admin_user, make_user
):
    from meetops.core.errors import PermissionDenied

    group = groups.save_group(actor=organiser, name="共享组", shared=True)
    for stranger in (other_organiser, member):
        with pytest.raises(PermissionDenied) as exc:
            groups.add_group_members(group, actor=stranger, users=[member])
        assert exc.value.code == "forbidden"
    with pytest.raises(PermissionDenied):
        groups.save_group(actor=member, name="成员不能建组")
    groups.rename_group(group, actor=admin_user, name="管理员改名")
    groups.delete_group(group, actor=admin_user)
    assert not SavedGroup.objects.exists()


# ------------------------------------------------------------------ pages


def test_groups_page_by_persona(client, organiser, other_organiser, member, outsider):
    mine = groups.save_group(actor=organiser, name="我的组")
    shared = groups.save_group(actor=other_organiser, name="共享组", shared=True)
    private = groups.save_group(actor=other_organiser, name="私有组")
    client.force_login(organiser)
    body = client.get("/groups/").content.decode()
    assert "我的组" in body and "共享组" in body and "私有组" not in body
    assert client.get(f"/groups/{mine.pk}/").status_code == 200
    # A shared group is visible to other organisers but read-only for them.
    response = client.get(f"/groups/{shared.pk}/")
    assert response.status_code == 200 and 'id="add-members"' not in response.content.decode()
    assert client.post(f"/groups/{shared.pk}/rename/", {"name": "x"}).status_code == 403
    assert client.get(f"/groups/{private.pk}/").status_code == 404
    for persona in (member, outsider):
        client.force_login(persona)
        assert client.get("/groups/").status_code == 404
        assert client.get(f"/groups/{shared.pk}/").status_code == 404


def test_organiser_creates_a_group_adds_and_removes_members_then_deletes_it(
    client, organiser, make_user, contact
):
    liu = make_user("liu", display_name="刘洋")
    client.force_login(organiser)
    response = client.post("/groups/", {"name": "评审专家"}, follow=True)
    group = SavedGroup.objects.get()
    assert response.redirect_chain[-1][0] == f"/groups/{group.pk}/"
    assert "评审专家" in response.content.decode()

    response = client.post(
        f"/groups/{group.pk}/members/", {"users": [liu.pk], "contacts": [contact.pk]}, follow=True
    )
    body = response.content.decode()
    assert "2 added to the group." in body or "已向分组添加 2 人" in body
    assert f'data-member="user-{liu.pk}"' in body and f'data-member="contact-{contact.pk}"' in body

    response = client.post(f"/groups/{group.pk}/members/", {}, follow=True)
    assert list(group.users.all()) == [liu]  # nothing chosen: a message, nothing lost
    assert "Choose at least one" in response.content.decode() or "请至少选择" in (
        response.content.decode()
    )

    client.post(f"/groups/{group.pk}/members/remove/", {"user": liu.pk})
    assert not group.users.exists()
    client.post(f"/groups/{group.pk}/rename/", {"name": "专家库", "shared": "on"})
    group.refresh_from_db()
    assert (group.name, group.shared) == ("专家库", True)
    response = client.post(f"/groups/{group.pk}/delete/", follow=True)
    assert response.redirect_chain[-1][0] == "/groups/"
    assert not SavedGroup.objects.exists()


def test_empty_name_keeps_the_form_with_an_error(client, organiser):
    client.force_login(organiser)
    response = client.post("/groups/", {"name": "   ", "shared": "on"})
    assert response.status_code == 200
    assert not SavedGroup.objects.exists()
    assert 'name="shared" id="id_shared" checked' in response.content.decode()


def test_groups_page_query_count_does_not_grow(
    client, organiser, make_user, django_assert_max_num_queries
):
    groups.save_group(actor=organiser, name="g0", users=[make_user()])
    client.force_login(organiser)
    with django_assert_max_num_queries(20) as small:
        client.get("/groups/")
    for i in range(1, 8):
        groups.save_group(actor=organiser, name=f"g{i}", users=[make_user(), make_user()])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/groups/").status_code == 200


def test_main_navigation_links_groups_for_organisers_only(client, organiser, member):
    client.force_login(organiser)
    assert 'href="/groups/"' in client.get("/").content.decode()
    client.force_login(member)
    assert 'href="/groups/"' not in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", ["常用分组", "我的分组", "新建分组"]),
        ("zh-hant", ["常用分組", "我的分組", "新建分組"]),
    ],
)
def test_groups_pages_speak_chinese(client, organiser, language, words):
    organiser.language = language
    organiser.save(update_fields=["language"])
    group = groups.save_group(actor=organiser, name="组")
    client.force_login(organiser)
    body = client.get("/groups/").content.decode()
    assert all(w in body for w in words)
    assert "Saved groups" not in body and "My groups" not in body
    assert "Add members" not in client.get(f"/groups/{group.pk}/").content.decode()


# ------------------------------------------------------------------ API


def test_api_groups_round_trip(api_as, organiser, other_organiser, member, make_user, contact):
    api = api_as(organiser)
    a = make_user("a")
    created = api.post("/api/v1/groups", {"name": "信息化小组", "shared": True})
    assert created.status_code == 201
    gid = created.json()["id"]
    body = api.post(
        f"/api/v1/groups/{gid}/members", {"user_ids": [a.pk], "contact_ids": [contact.pk]}
    ).json()
    assert [u["id"] for u in body["users"]] == [a.pk] and body["contacts"][0]["name"] == "马教授"
    body = api.patch(f"/api/v1/groups/{gid}", {"name": "信息化专家组"}).json()
    assert body["name"] == "信息化专家组" and body["shared"] is True
    body = api.post(f"/api/v1/groups/{gid}/members/remove", {"user_ids": [a.pk]}).json()
    assert body["users"] == []

    other = api_as(other_organiser)
    assert [g["id"] for g in other.get("/api/v1/groups").json()] == [gid]
    assert other.get(f"/api/v1/groups/{gid}").json()["can_edit"] is False
    refused = other.patch(f"/api/v1/groups/{gid}", {"name": "x"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert api_as(member).get(f"/api/v1/groups/{gid}").status_code == 404
    assert api_as(member).get("/api/v1/groups").status_code == 403
    empty = api.post(f"/api/v1/groups/{gid}/members", {})
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "nobody_chosen"
    assert api.delete(f"/api/v1/groups/{gid}").status_code == 204


def test_api_bulk_add_does_not_reveal_someone_elses_private_group(
    api_as, make_meeting, organiser, other_organiser
):
    private = groups.save_group(actor=other_organiser, name="私有组")
    meeting = make_meeting()
    response = api_as(organiser).post(
        f"/api/v1/meetings/{meeting.pk}/participants/bulk", {"group_id": private.pk}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown_group"
