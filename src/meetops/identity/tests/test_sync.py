"""Directory sync (issue 11, item 5): one engine for every provider that lists people."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.identity.models import ExternalDepartment, ExternalIdentity, Membership, SyncRun
from meetops.identity.providers import DepartmentAttributes as D
from meetops.identity.providers import Kind
from meetops.identity.providers import PersonAttributes as P
from meetops.identity.sync import start_sync, summary_line
from meetops.identity.testing import FakeProvider
from meetops.people.models import ApiToken, Department, User
from meetops.people.services import create_api_token

pytestmark = pytest.mark.django_db

TREE = [
    D("root", "学校"),
    D("jw", "教务处", parent_id="root", order=1),
    D("zl", "教学质量科", parent_id="jw", order=1),
    D("xx", "信息中心", parent_id="root", order=2),
]
PEOPLE = [
    P("u1", "zhangsan", "张三", email="zs@x.cn", mobile="13800000001", department_ids=("jw",)),
    P(
        "u2",
        "lisi",
        "李四",
        email="ls@x.cn",
        title="科长",
        department_ids=("zl", "xx"),
        main_department_id="zl",
    ),
    P("u3", "zhaoliu", "赵六", email="zl@x.cn", department_ids=("xx",)),
]


def directory(people: list[P] | None = None, tree: list[D] | None = None) -> FakeProvider:
    return FakeProvider(
        "corp",
        kind=Kind.DIRECTORY,
        people=PEOPLE if people is None else people,
        departments=tree or TREE,
    )


def dept(ext_id: str) -> Department:
    return ExternalDepartment.objects.get(provider="corp", external_id=ext_id).department


def test_a_first_sync_builds_the_tree_and_the_people(admin_user: Any) -> None:
    run = start_sync(directory(), actor=admin_user)

    assert run.status == SyncRun.Status.SUCCEEDED
    assert (
        summary_line(run.counts)
        == "departments: +4 ~0 -0; people: +3 ~0 deactivated 0; conflicts 0"
    )
    assert dept("zl").parent == dept("jw")
    assert dept("zl").path == f"{dept('root').path}{dept('jw').pk}/{dept('zl').pk}/"
    lisi = User.objects.get(username="lisi")
    assert (lisi.display_name, lisi.title, lisi.department) == ("李四", "科长", dept("zl"))
    memberships = {(m.department.name, m.is_main) for m in Membership.objects.filter(user=lisi)}
    assert memberships == {("教学质量科", True), ("信息中心", False)}


def test_a_second_sync_changes_nothing(admin_user: Any) -> None:
    start_sync(directory(), actor=admin_user)
    entries = AuditEntry.objects.count()
    run = start_sync(directory(), actor=admin_user)
    assert (
        summary_line(run.counts)
        == "departments: +0 ~0 -0; people: +0 ~0 deactivated 0; conflicts 0"
    )
    # Only the run's own entries: started and finished.
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)[entries:]) == [
        "identity.sync.started",
        "identity.sync.finished",
    ]


def test_renames_moves_and_new_order_follow_the_directory(admin_user: Any) -> None:
    start_sync(directory(), actor=admin_user)
    moved = [
        TREE[0],
        replace(TREE[1], name="教务部"),
        replace(TREE[2], parent_id="xx"),
        replace(TREE[3], order=0),
    ]
    run = start_sync(directory(tree=moved), actor=admin_user)
    assert run.counts["departments_updated"] == 3
    zl = dept("zl")
    assert (dept("jw").name, zl.parent, dept("xx").order) == ("教务部", dept("xx"), 0)
    assert zl.path == f"{dept('root').path}{dept('xx').pk}/{zl.pk}/"


def test_a_department_the_directory_dropped_is_kept_and_reported(admin_user: Any) -> None:
    start_sync(directory(), actor=admin_user)
    run = start_sync(directory(people=PEOPLE[:1], tree=TREE[:2]), actor=admin_user)
    assert run.counts["departments_gone"] == 2
    assert Department.objects.filter(name="教学质量科").exists()


def test_a_dry_run_reports_the_same_and_changes_nothing(admin_user: Any) -> None:
    dry = start_sync(directory(), actor=admin_user, dry_run=True)
    assert dry.dry_run and dry.status == SyncRun.Status.SUCCEEDED
    assert (
        summary_line(dry.counts)
        == "departments: +4 ~0 -0; people: +3 ~0 deactivated 0; conflicts 0"
    )
    assert {p["username"] for p in dry.report["people_created"]} == {"zhangsan", "lisi", "zhaoliu"}
    assert not User.objects.exclude(pk=admin_user.pk).exists()
    assert not Department.objects.exists()
    real = start_sync(directory(), actor=admin_user)
    assert real.counts == dry.counts


def test_existing_accounts_are_matched_by_email_then_mobile(
    admin_user: Any, make_user: Any
) -> None:
    by_mail = make_user("zs-old", email="ZS@x.cn")
    by_mobile = make_user("zl-old", phone="138 0000 0003")
    people = [PEOPLE[0], replace(PEOPLE[2], email="", mobile="+86 13800000003")]
    run = start_sync(directory(people=people), actor=admin_user)
    assert run.counts["people_created"] == 0
    assert run.counts["people_updated"] == 2
    assert ExternalIdentity.objects.get(external_id="u1").user == by_mail
    assert ExternalIdentity.objects.get(external_id="u3").user == by_mobile


def test_conflicts_are_reported_not_guessed(admin_user: Any, make_user: Any) -> None:
    make_user("a", email="zs@x.cn")
    make_user("b", email="zs@x.cn")
    run = start_sync(directory(), actor=admin_user)
    assert run.counts["conflicts"] == 1
    conflict = run.report["conflicts"][0]
    assert (conflict["username"], conflict["reason"], conflict["candidates"]) == (
        "zhangsan",
        "email_shared",
        ["a", "b"],
    )
    assert not ExternalIdentity.objects.filter(external_id="u1").exists()
    assert summary_line(run.counts).endswith("conflicts 1")


def test_only_the_selected_subtrees_are_synced(admin_user: Any) -> None:
    run = start_sync(directory(), actor=admin_user, department_ids=["jw"])
    assert {d["name"] for d in run.report["departments_created"]} == {"教务处", "教学质量科"}
    assert set(User.objects.exclude(pk=admin_user.pk).values_list("username", flat=True)) == {
        "zhangsan",
        "lisi",
    }


def test_a_leaver_is_deactivated_with_history_kept_and_open_work_listed(
    admin_user: Any, client: Any, make_meeting: Any
) -> None:
    start_sync(directory(), actor=admin_user)
    zhang = User.objects.get(username="zhangsan")
    _token, raw = create_api_token(zhang, actor=None)
    zhang.set_password("pw-12345-x")
    zhang.save()
    client.force_login(zhang)
    from meetops.minutes.models import ActionItem

    meeting = make_meeting()
    ActionItem.objects.create(meeting=meeting, title="整理教学检查材料", owner=zhang)

    run = start_sync(directory(people=PEOPLE[1:]), actor=admin_user)

    assert run.counts["people_deactivated"] == 1
    zhang.refresh_from_db()
    assert not zhang.is_active
    assert User.objects.filter(pk=zhang.pk).exists()
    assert ApiToken.objects.get(user=zhang).revoked_at is not None
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert client.get("/").status_code == 302  # the session no longer signs them in
    left = run.report["people_deactivated"][0]
    assert left["username"] == "zhangsan"
    assert [a["title"] for a in left["open_work"]["action_items"]] == ["整理教学检查材料"]
    assert AuditEntry.objects.filter(
        action="identity.person.deactivated", object_id=str(zhang.pk)
    ).exists()


def test_someone_who_comes_back_is_switched_on_again_but_not_someone_an_admin_switched_off(
    admin_user: Any,
) -> None:
    start_sync(directory(), actor=admin_user)
    start_sync(directory(people=PEOPLE[1:]), actor=admin_user)
    User.objects.filter(username="lisi").update(is_active=False)  # an admin's decision
    run = start_sync(directory(), actor=admin_user)
    assert run.counts["people_updated"] == 1
    assert User.objects.get(username="zhangsan").is_active
    assert not User.objects.get(username="lisi").is_active


def test_a_person_the_directory_disables_is_deactivated(admin_user: Any) -> None:
    start_sync(directory(), actor=admin_user)
    run = start_sync(
        directory(people=[replace(PEOPLE[0], active=False), *PEOPLE[1:]]), actor=admin_user
    )
    assert run.report["people_deactivated"][0]["reason"] == "disabled"
    assert not User.objects.get(username="zhangsan").is_active


def test_an_empty_listing_deactivates_nobody(admin_user: Any) -> None:
    start_sync(directory(), actor=admin_user)
    run = start_sync(directory(people=[]), actor=admin_user)
    assert run.counts["people_deactivated"] == 0
    assert run.report["failures"][0]["code"] == "empty_directory"
    assert User.objects.filter(is_active=True).count() == 4


def test_only_admins_sync_and_one_sync_runs_at_a_time(admin_user: Any, member: Any) -> None:
    with pytest.raises(DomainError) as caught:
        start_sync(directory(), actor=member)
    assert caught.value.code == "forbidden"
    SyncRun.objects.create(provider="corp", status=SyncRun.Status.RUNNING)
    with pytest.raises(DomainError) as caught:
        start_sync(directory(), actor=admin_user)
    assert caught.value.code == "sync_running"
    # A run that died hours ago does not block for ever.
    SyncRun.objects.update(started_at=timezone.now() - timedelta(hours=3))
    assert start_sync(directory(), actor=admin_user).status == SyncRun.Status.SUCCEEDED
