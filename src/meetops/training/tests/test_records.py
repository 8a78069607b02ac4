"""P9.4: external training with a certificate, verified by another administrator (audited)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.training import services
from meetops.training.models import ExternalTraining, RecordStatus

from .conftest import pdf

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def _entered(api: Any, need: Any) -> dict[str, Any]:
    answer = api.post(
        "/api/v1/training/records",
        {
            "title": "会场安全管理",
            "issuer": "市公安局",
            "completed_on": "2026-03-02",
            "hours": 4,
            "need_ids": [need.pk],
        },
    )
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_a_certificate_that_is_not_a_pdf_or_image_is_refused_naming_the_field(
    member: Any, api_as: Callable[[Any], Any], client: Any, needs: dict[str, Any]
) -> None:
    api = api_as(member)
    record = _entered(api, needs["security"])
    assert record["status"] == "pending" and record["has_certificate"] is False
    url = f"/api/v1/training/records/{record['id']}/certificate"
    for name, content in (("setup.exe", EXE), ("certificate.pdf", EXE)):
        answer = client.post(url, {"file": SimpleUploadedFile(name, content)}, headers=api.headers)
        assert answer.status_code == 422, name
        error = answer.json()["error"]
        assert error["code"] == "bad_certificate"
        assert [f["field"] for f in error["details"]["fields"]] == ["certificate"]
    assert not ExternalTraining.objects.get(pk=record["id"]).certificate

    answer = client.post(url, {"file": pdf()}, headers=api.headers)
    assert answer.status_code == 200
    assert answer.json()["has_certificate"] is True
    # The file comes back typed by its content.
    client.force_login(member)
    download = client.get(answer.json()["certificate"])
    assert download["Content-Type"] == "application/pdf"


def test_the_page_form_puts_the_refusal_beside_the_certificate(
    member: Any, client: Any, needs: dict[str, Any]
) -> None:
    client.force_login(member)
    answer = client.post(
        reverse("training:record_new"),
        {
            "title": "急救培训",
            "issuer": "红十字会",
            "completed_on": "2026-02-10",
            "hours": "8",
            "needs": [needs["security"].pk],
            "certificate": SimpleUploadedFile("cert.pdf", EXE),
        },
    )
    assert answer.status_code == 200
    assert "certificate" in answer.context["form"].errors
    assert not ExternalTraining.objects.exists()


def test_an_administrator_other_than_the_person_verifies_and_it_is_audited(
    make_user: Callable[..., Any], admin_user: Any, needs: dict[str, Any]
) -> None:
    other_admin = make_user("admin2", roles=("admin",))
    record = services.record_external(
        actor=admin_user,
        person=admin_user,
        title="保密培训",
        issuer="保密局",
        completed_on=date(2026, 1, 5),
        hours="2",
        needs=[needs["organiser"]],
    )
    with pytest.raises(DomainError) as refused:
        services.verify_external(record, actor=admin_user, accept=True)
    assert refused.value.code == "self_verification"
    with pytest.raises(DomainError) as refused:
        services.verify_external(record, actor=other_admin, accept=True)
    assert refused.value.code == "certificate_missing"
    services.attach_certificate(record, actor=admin_user, certificate=pdf())
    verified = services.verify_external(record, actor=other_admin, accept=True)
    assert verified.status == RecordStatus.VERIFIED
    entry = AuditEntry.objects.get(action="training.record.verified")
    assert entry.actor == other_admin and entry.object_id == str(record.pk)
    with pytest.raises(DomainError) as refused:
        services.verify_external(record, actor=other_admin, accept=False, note="重复")
    assert refused.value.code == "record_state"


def test_a_member_cannot_verify_or_enter_for_someone_else(
    member: Any, outsider: Any, api_as: Callable[[Any], Any], needs: dict[str, Any]
) -> None:
    record = _entered(api_as(member), needs["desk"])
    answer = api_as(outsider).post(
        f"/api/v1/training/records/{record['id']}/verify", {"accept": True}
    )
    assert answer.status_code == 404  # not theirs to see
    answer = api_as(member).post(
        f"/api/v1/training/records/{record['id']}/verify", {"accept": True}
    )
    assert answer.status_code == 403
    answer = api_as(member).post(
        "/api/v1/training/records",
        {
            "person_id": outsider.pk,
            "title": "x",
            "issuer": "y",
            "completed_on": "2026-01-01",
            "hours": 1,
            "need_ids": [needs["desk"].pk],
        },
    )
    assert answer.status_code == 403


def test_the_person_is_told_the_verdict_in_their_language_with_a_link(
    make_user: Callable[..., Any], admin_user: Any, needs: dict[str, Any], client: Any
) -> None:
    from meetops.notifications.models import OutboxMessage

    person = make_user("zhouqiang", email="zq@example.org")
    person.language = "zh-hant"
    person.save(update_fields=["language"])

    def entered(title: str) -> Any:
        record = services.record_external(
            actor=person,
            person=person,
            title=title,
            issuer="市公安局",
            completed_on=date(2026, 3, 2),
            hours="4",
            needs=[needs["security"]],
        )
        services.attach_certificate(record, actor=person, certificate=pdf())
        return record

    accepted, refused = entered("會場安全管理"), entered("消防演練")
    assert not OutboxMessage.objects.filter(event="training.record.decided").exists()
    services.verify_external(accepted, actor=admin_user, accept=True)
    services.verify_external(refused, actor=admin_user, accept=False, note="證書已過期")

    told = OutboxMessage.objects.filter(event="training.record.decided", user=person)
    assert {(m.channel, m.subject) for m in told} == {
        ("email", "你的外部培訓「會場安全管理」已審核通過"),
        ("inapp", "你的外部培訓「會場安全管理」已審核通過"),
        ("email", "你的外部培訓「消防演練」未予認可"),
        ("inapp", "你的外部培訓「消防演練」未予認可"),
    }
    yes = told.get(channel="email", subject__contains="會場安全管理")
    assert "審核通過" in yes.body and needs["security"].name in yes.body
    assert yes.url == f"/training/#record-{accepted.pk}"
    no = told.get(channel="email", subject__contains="消防演練")
    assert "證書已過期" in no.body and f"/training/#record-{refused.pk}" in no.body
    # The administrator who decided is not told of their own decision.
    assert not OutboxMessage.objects.filter(event="training.record.decided", user=admin_user)

    client.force_login(person)
    page = client.get(yes.url.split("#")[0]).content.decode()
    assert f'id="record-{accepted.pk}"' in page and f'id="record-{refused.pk}"' in page
