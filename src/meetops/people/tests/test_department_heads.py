"""Department heads (部门负责人, P8.8, ADR 0022): several per department, chosen by
administrators or named by a directory; who heads what, up the tree."""

from __future__ import annotations

import pytest

from meetops.core.errors import PermissionDenied
from meetops.core.models import AuditEntry
from meetops.people.models import DepartmentHead
from meetops.people.selectors import headed_department_ids, heads_above
from meetops.people.services import (
    create_department,
    set_department_heads,
    sync_department_heads,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    school = create_department(name="学院", actor=None)
    office = create_department(name="办公室", actor=None, parent=school)
    return school, office


def test_an_admin_chooses_several_heads_and_it_is_audited(tree, make_user, admin_user):
    school, _office = tree
    dean, deputy = make_user("dean", department=school), make_user("deputy", department=school)
    set_department_heads(school, heads=[dean, deputy], actor=admin_user)
    assert set(DepartmentHead.objects.values_list("user__username", "source")) == {
        ("dean", ""),
        ("deputy", ""),
    }
    entry = AuditEntry.objects.get(action="people.department.heads_changed")
    assert entry.data["added"] == ["dean", "deputy"] and entry.actor_id == admin_user.pk
    set_department_heads(school, heads=[dean], actor=admin_user)
    assert list(DepartmentHead.objects.values_list("user__username", flat=True)) == ["dean"]


def test_only_administrators_choose_heads(tree, make_user, organiser):
    school, _office = tree
    with pytest.raises(PermissionDenied):
        set_department_heads(school, heads=[organiser], actor=organiser)


def test_a_directory_replaces_only_its_own_heads(tree, make_user, admin_user):
    school, _office = tree
    chosen, named, later = make_user("chosen"), make_user("named"), make_user("later")
    set_department_heads(school, heads=[chosen], actor=admin_user)
    sync_department_heads(source="wecom", wanted={(school.pk, named.pk)}, departments=[school.pk])
    sync_department_heads(source="wecom", wanted={(school.pk, later.pk)}, departments=[school.pk])
    assert set(DepartmentHead.objects.values_list("user__username", "source")) == {
        ("chosen", ""),
        ("later", "wecom"),
    }


def test_heads_reach_down_the_tree_and_problems_go_to_the_nearest_head(tree, make_user, admin_user):
    school, office = tree
    dean, clerk = make_user("dean", department=school), make_user("clerk", department=office)
    set_department_heads(school, heads=[dean], actor=admin_user)
    assert headed_department_ids(dean) == {school.pk, office.pk}
    assert headed_department_ids(clerk) == frozenset()
    assert heads_above(office) == [dean]
    assert heads_above(school, besides=dean) == []


def test_the_admin_page_and_the_api(tree, make_user, admin_user, member, client, api_as):
    school, _office = tree
    dean = make_user("dean", department=school)
    client.force_login(member)
    assert client.get("/departments/").status_code == 403
    client.force_login(admin_user)
    assert client.get("/departments/").status_code == 200
    page = client.get(f"/departments/{school.pk}/heads/")
    assert page.status_code == 200 and "dean" in page.content.decode()
    assert client.post(f"/departments/{school.pk}/heads/", {"heads": [dean.pk]}).status_code == 302
    heads = api_as(member).get(f"/api/v1/departments/{school.pk}/heads").json()
    assert [(h["user_id"], h["source"]) for h in heads] == [(dean.pk, "")]
    refused = api_as(member).put(f"/api/v1/departments/{school.pk}/heads", {"user_ids": []})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    emptied = api_as(admin_user).put(f"/api/v1/departments/{school.pk}/heads", {"user_ids": []})
    assert emptied.status_code == 200 and emptied.json() == []
