"""Feishu names a department's heads on the department (`leader_user_id`, `leaders`): the
sync makes them heads once their accounts are linked (P8.8, ADR 0022)."""

from __future__ import annotations

import pytest

from meetops.people.models import DepartmentHead
from meetops.workim.feishu.directory import department_attributes

pytestmark = pytest.mark.django_db


def test_leader_user_id_and_leaders_are_the_heads() -> None:
    raw = {
        "open_department_id": "od-x",
        "leader_user_id": "u-1",
        "leaders": [{"leaderType": 1, "leaderID": "u-1"}, {"leaderType": 2, "leaderID": "u-2"}],
    }
    assert department_attributes(raw).head_ids == ("u-1", "u-2")
    assert department_attributes({"open_department_id": "od-y"}).head_ids == ()


def test_sync_makes_the_department_leaders_heads(feishu, meetops_cli) -> None:
    exam = next(d for d in feishu.departments if d["open_department_id"] == "od-exam")
    exam["leader_user_id"] = "u-exam"
    code, _out, err = meetops_cli("directory", "sync", "feishu")
    assert code == 0, err
    pairs = set(DepartmentHead.objects.values_list("department__name", "user__username"))
    assert pairs == {("考试中心", "u-exam")}

    exam["leader_user_id"] = "u-t1"
    code, _out, err = meetops_cli("directory", "sync", "feishu")
    assert code == 0, err
    pairs = set(DepartmentHead.objects.values_list("department__name", "user__username"))
    assert pairs == {("考试中心", "u-t1")}
