"""P9.4: training needs per duty (admin-editable, seeded), courses and their materials."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetops.core.models import AuditEntry
from meetops.training.models import CourseMaterial, TrainingNeed, TrainingSession

from .conftest import pdf

pytestmark = pytest.mark.django_db


def test_every_duty_has_a_seeded_need_with_a_refresher(needs: dict[str, Any]) -> None:
    assert set(needs) == {"organiser", "recorder", "desk", "security"}
    assert all(n.refresher_months and n.name_zh_hant and n.name_en for n in needs.values())


def test_administrators_change_a_need_and_others_are_refused(
    client: Any,
    admin_user: Any,
    organiser: Any,
    needs: dict[str, Any],
    api_as: Callable[[Any], Any],
) -> None:
    need = needs["desk"]
    client.force_login(organiser)
    page = client.get(reverse("training:needs")).content.decode()
    assert need.name_zh_hans in page and 'id="need-form"' not in page
    assert client.post(reverse("training:need_edit", args=[need.pk]), {}).status_code == 403
    assert (
        api_as(organiser).patch(f"/api/v1/training/needs/{need.pk}", {"active": False}).status_code
        == 403
    )

    answer = api_as(admin_user).patch(f"/api/v1/training/needs/{need.pk}", {"refresher_months": 6})
    assert answer.status_code == 200 and answer.json()["refresher_months"] == 6
    entry = AuditEntry.objects.get(action="training.need.updated")
    assert entry.changes == {"refresher_months": [12, 6]}
    # Null: trained once is enough.
    answer = api_as(admin_user).patch(
        f"/api/v1/training/needs/{need.pk}", {"refresher_months": None}
    )
    assert TrainingNeed.objects.get(pk=need.pk).refresher_months is None
    refused = api_as(admin_user).patch(f"/api/v1/training/needs/{need.pk}", {"refresher_months": 0})
    assert refused.status_code == 422


def test_a_course_carries_materials_checked_by_content(
    client: Any,
    admin_user: Any,
    member: Any,
    needs: dict[str, Any],
    api_as: Callable[[Any], Any],
) -> None:
    api = api_as(admin_user)
    course = api.post(
        "/api/v1/training/courses",
        {"title": "会务基础", "need_ids": [needs["organiser"].pk], "hours": 3},
    ).json()
    url = f"/api/v1/training/courses/{course['id']}/materials"
    refused = client.post(
        url,
        {"title": "脚本", "file": SimpleUploadedFile("slides.pdf", b"<html><script>")},
        headers=api.headers,
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "bad_material"
    assert [f["field"] for f in refused.json()["error"]["details"]["fields"]] == ["file"]
    added = client.post(url, {"title": "讲义", "file": pdf("slides.pdf")}, headers=api.headers)
    assert added.status_code == 201
    assert CourseMaterial.objects.get().media_type == "application/pdf"

    # Every signed-in person reads the course and downloads its materials; only admins add.
    client.force_login(member)
    page = client.get(reverse("training:course", args=[course["id"]])).content.decode()
    assert "讲义" in page and 'id="course-form"' not in page
    assert client.get(added.json()["download"]).status_code == 200
    assert api_as(member).post("/api/v1/training/courses", {"title": "x"}).status_code == 403


def test_only_a_training_meeting_is_held_as_a_course(
    admin_user: Any, make_meeting: Callable[..., Any], api_as: Callable[[Any], Any]
) -> None:
    api = api_as(admin_user)
    course = api.post("/api/v1/training/courses", {"title": "纪要写作"}).json()
    regular = make_meeting(title="周例会")
    refused = api.post(
        f"/api/v1/training/courses/{course['id']}/sessions", {"meeting_id": regular.pk}
    )
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "not_a_training"
    training = make_meeting(title="纪要培训", kind="training")
    linked = api.post(
        f"/api/v1/training/courses/{course['id']}/sessions", {"meeting_id": training.pk}
    )
    assert linked.status_code == 201
    assert TrainingSession.objects.get(meeting=training).course_id == course["id"]


def test_a_need_saved_as_it_was_writes_nothing_and_says_so(
    client: Any, admin_user: Any, needs: dict[str, Any], as_shown: Any
) -> None:
    """The edit form sent back as shown: no row written (updated_at kept), no audit entry, and
    the page says 未作修改."""
    from meetops.training.forms import NeedForm

    need = needs["desk"]
    stamped = TrainingNeed.objects.get(pk=need.pk).updated_at
    shown = NeedForm(instance=need)
    data = as_shown(shown)
    client.force_login(admin_user)
    page = client.post(
        reverse("training:need_edit", args=[need.pk]),
        data,
        follow=True,
        headers={"Accept-Language": "zh-hans"},
    )
    assert page.status_code == 200 and "未作修改" in page.content.decode()
    assert TrainingNeed.objects.get(pk=need.pk).updated_at == stamped
    assert not AuditEntry.objects.filter(action="training.need.updated").exists()
