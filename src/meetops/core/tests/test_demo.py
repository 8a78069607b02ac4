"""`meetops demo`: a Chinese demo organisation with meetings in every stage, loaded through the services."""

from __future__ import annotations

import pytest

from meetops.core import audit
from meetops.core.demo import DEMO_LOGINS, DemoContext, _loaders, demo_loader, registered_loaders
from meetops.meetings.models import Confidentiality, Meeting, Stage
from meetops.meetings.services import FORWARD
from meetops.people.models import Department, ExternalContact, User
from meetops.policy.models import StepStatus

pytestmark = pytest.mark.django_db

LIFECYCLE = [Stage.DRAFT, *FORWARD.values()]


@pytest.fixture
def demo(meetops_cli):
    code, out, err = meetops_cli("demo")
    assert code == 0, err
    return out


def test_demo_logins_exist_and_work_with_the_demo_password(demo, client):
    assert User.objects.count() >= 15
    for username, _role in DEMO_LOGINS["users"]:
        response = client.post("/login/", {"username": username, "password": "meetops-demo"})
        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)
        client.logout()
    roles = {u.username: u.role_codes for u in User.objects.all()}
    assert (
        roles["admin"] >= {"admin"}
        and "organiser" in roles["wangfang"]
        and "leader" in roles["liming"]
    )
    assert (
        "archivist" in roles["zhaomin"]
        and "staff" in roles["chenjing"]
        and "member" in roles["liuyang"]
    )


def test_demo_has_a_department_tree_people_and_contacts(demo):
    top = Department.objects.filter(parent=None).values_list("name", flat=True)
    assert {"办公室", "人事处", "财务处", "信息中心", "教务处"} <= set(top)
    assert Department.objects.filter(parent__isnull=False).count() >= 5
    assert all(d.path.endswith(f"/{d.pk}/") for d in Department.objects.all())
    notes = " ".join(ExternalContact.objects.values_list("notes", flat=True))
    assert "专家" in notes and "供应商" in notes


def test_demo_meetings_cover_every_stage_kind_and_level(demo):
    meetings = Meeting.objects.select_related("kind")
    assert meetings.count() >= 12
    assert set(meetings.values_list("stage", flat=True)) == set(Stage.values)
    assert set(meetings.values_list("confidentiality", flat=True)) == set(Confidentiality.values)
    assert len(set(meetings.values_list("kind__code", flat=True))) >= 5
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m.title) for m in meetings)
    assert all(m.participants.count() >= 1 for m in meetings)


def test_demo_steps_are_consistent_with_each_stage(demo):
    from meetops.policy.services import effective_status

    overridden = 0
    for meeting in Meeting.objects.exclude(stage=Stage.CANCELLED):
        position = LIFECYCLE.index(meeting.stage)
        for step in meeting.steps.all():
            status = effective_status(step)
            if LIFECYCLE.index(step.stage) > position:  # later stages: nothing signed off yet
                assert step.status == StepStatus.OPEN, (meeting.title, step.clause)
            elif (
                LIFECYCLE.index(step.stage) < position
                and step.required
                and status == StepStatus.OPEN
            ):
                overridden += 1
                assert meeting.title == "校领导班子周例会" and step.clause in ("P2.9", "P2.10")
    assert overridden == 2


def test_demo_audit_log_is_intact_and_records_the_override(demo):
    from meetops.core.models import AuditEntry

    _checked, breaks = audit.verify()
    assert breaks == []
    override = AuditEntry.objects.get(action="meetings.meeting.stage_overridden")
    assert override.data["override_reason"] and override.source == "cli"


def test_if_empty_does_nothing_on_a_loaded_database(demo, meetops_cli):
    count = Meeting.objects.count()
    code, out, _err = meetops_cli("demo", "--if-empty")
    assert code == 0 and "not loaded" in out and Meeting.objects.count() == count
    code, _out, err = meetops_cli("demo")
    assert code == 1 and "empty database" in err


def test_if_empty_loads_into_an_empty_database(meetops_cli):
    code, out, _err = meetops_cli("demo", "--if-empty")
    assert code == 0 and "Demo loaded" in out
    assert Meeting.objects.count() >= 12


def test_an_app_registers_its_own_demo_loader(meetops_cli):
    seen: list[str] = []

    @demo_loader("test-extension", order=60)
    def extension(ctx: DemoContext) -> None:
        seen.append(ctx.meetings["digital_campus"].title)
        ctx.note("extension ran")

    try:
        assert ("test-extension", 60) in registered_loaders()
        code, out, _err = meetops_cli("demo")
    finally:
        _loaders.pop("test-extension")
    assert code == 0 and seen == ["数字校园建设专家论证会"] and "extension ran" in out
    assert [name for name, _order in registered_loaders()][:3] == ["people", "venues", "meetings"]
