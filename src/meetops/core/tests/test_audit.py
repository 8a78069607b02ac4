"""The audit log: every service write is recorded, and `meetops audit verify` catches tampering."""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from meetops.core import audit
from meetops.core.models import AuditEntry, AuditSource
from meetops.meetings import services as meetings
from meetops.policy import services as process

pytestmark = pytest.mark.django_db


def _entries(meeting):
    return list(
        AuditEntry.objects.filter(object_type="meeting", object_id=str(meeting.pk)).order_by("seq")
    )


def test_every_meeting_write_records_who_what_changes_and_where(organiser, member, make_meeting):
    with audit.audit_context(AuditSource.TASK):
        meeting = make_meeting(title="预算会", goals="g", location="三楼")
    meetings.update_meeting(meeting, actor=organiser, title="预算评审会")
    meetings.add_participant(meeting, actor=organiser, user=member, role="recorder")
    meeting = meetings.transition_meeting(meeting, to="preparing", actor=organiser)
    step = meeting.steps.get(clause="P2.2")
    process.complete_step(step, actor=organiser, note="已订会场")
    process.waive_step(meeting.steps.get(clause="P2.7"), actor=organiser, reason="内部会议")

    entries = _entries(meeting)
    assert [e.action for e in entries] == [
        "meetings.meeting.created",
        "meetings.meeting.updated",
        "meetings.participant.added",
        "policy.step.completed",  # P2.1 completed from evidence on leaving the draft stage
        "meetings.meeting.stage_changed",
        "policy.step.completed",
        "policy.step.waived",
    ]
    assert {e.actor_name for e in entries} == {"organiser", "system"}
    assert entries[0].source == AuditSource.TASK and entries[1].source == AuditSource.SYSTEM
    assert entries[0].changes["title"] == [None, "预算会"]
    assert entries[1].changes == {"title": ["预算会", "预算评审会"]}
    assert entries[2].data["role"] == "recorder"
    assert entries[4].changes == {"stage": ["draft", "preparing"]}
    assert entries[5].data["clause"] == "P2.2" and entries[5].data["note"] == "已订会场"
    assert entries[6].data["reason"] == "内部会议"
    assert [e.seq for e in entries] == list(range(1, 8))
    assert all(e.prev_hash == prev.hash for prev, e in pairwise(entries))


def test_people_writes_are_audited(make_user, admin_user):
    from meetops.people import services as people

    dept = people.create_department(name="财务处", actor=admin_user)
    user = make_user("zhang", roles=("member",))
    people.set_roles(user, roles=["staff"], actor=admin_user)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "people.department.created",
        "people.user.created",
        "people.user.roles_changed",
    } <= actions
    roles = AuditEntry.objects.get(action="people.user.roles_changed")
    assert roles.changes == {"roles": [["member"], ["staff"]]} and roles.actor_name == "admin"
    assert (
        AuditEntry.objects.get(
            action="people.department.created", object_id=str(dept.pk)
        ).object_repr
        == "财务处"
    )


def test_ui_and_api_writes_carry_their_source_and_address(client, api_as, organiser, make_meeting):
    meeting = make_meeting()
    api_as(organiser).patch(f"/api/v1/meetings/{meeting.pk}", {"goals": "新的目标"})
    client.force_login(organiser)
    client.post("/me/language/", {"language": "en"})
    api_entry = AuditEntry.objects.get(action="meetings.meeting.updated")
    ui_entry = AuditEntry.objects.get(action="people.user.language_changed")
    assert api_entry.source == AuditSource.API and api_entry.ip_address == "127.0.0.1"
    assert ui_entry.source == AuditSource.UI and ui_entry.changes == {"language": ["", "en"]}


def test_cli_writes_are_audited_as_cli(meetops_cli):
    assert (
        meetops_cli(
            "user", "create", "operator-made", "--role", "staff", "--password", "pw-123-abc"
        )[0]
        == 0
    )
    entry = AuditEntry.objects.get(action="people.user.created")
    assert entry.source == AuditSource.CLI and entry.actor_name == "system"
    assert entry.data == {"roles": ["staff"]}


def test_verify_passes_on_an_intact_log(organiser, make_meeting, capsys):
    for i in range(3):
        meetings.update_meeting(make_meeting(), actor=organiser, title=f"会议 {i}")
    checked, breaks = audit.verify()
    assert breaks == [] and checked == AuditEntry.objects.count() > 6
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out


def _tamper(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditentry SET object_repr = 'edited' WHERE id = %s",
        "UPDATE core_auditentry SET actor_name = 'someone-else' WHERE id = %s",
        "UPDATE core_auditentry SET created_at = created_at WHERE id = %s AND 1 = 0",  # no-op control
    ],
)
def test_verify_detects_an_edited_row(organiser, make_meeting, sql):
    meeting = make_meeting()
    for i in range(3):
        meetings.update_meeting(meeting, actor=organiser, title=f"标题 {i}")
    middle = _entries(meeting)[2]
    _tamper(sql, middle.pk)
    _checked, breaks = audit.verify()
    if "1 = 0" in sql:
        assert breaks == []
        return
    assert [(b.stream, b.seq, b.reason) for b in breaks] == [
        (f"meeting:{meeting.pk}", 3, "entry was altered")
    ]
    with pytest.raises(CommandError, match="1 break"):
        call_command("audit", "verify")


def test_verify_detects_an_edited_row_even_with_its_hash_recomputed(organiser, make_meeting):
    meeting = make_meeting()
    for i in range(3):
        meetings.update_meeting(meeting, actor=organiser, title=f"标题 {i}")
    middle = _entries(meeting)[1]
    middle.object_repr = "edited"
    _tamper(
        "UPDATE core_auditentry SET object_repr = %s, hash = %s WHERE id = %s",
        "edited",
        middle.compute_hash(),
        middle.pk,
    )
    _checked, breaks = audit.verify()
    assert [(b.seq, b.reason) for b in breaks] == [(3, "previous hash does not match")]


def test_verify_detects_a_deleted_row_in_the_middle(organiser, make_meeting):
    meeting = make_meeting()
    for i in range(4):
        meetings.update_meeting(meeting, actor=organiser, title=f"标题 {i}")
    _tamper("DELETE FROM core_auditentry WHERE id = %s", _entries(meeting)[2].pk)
    _checked, breaks = audit.verify()
    assert [(b.seq, b.reason) for b in breaks] == [(4, "missing entries before this one")]


def test_cli_audit_verify_exits_non_zero_on_a_break(organiser, make_meeting, meetops_cli):
    meeting = make_meeting()
    code, out, _err = meetops_cli("audit", "verify")
    assert code == 0 and "intact" in out
    _tamper(
        "UPDATE core_auditentry SET action = 'meetings.meeting.deleted' WHERE id = %s",
        _entries(meeting)[0].pk,
    )
    code, out, err = meetops_cli("audit", "verify")
    assert code == 1
    assert (
        f"BROKEN meeting:{meeting.pk} seq 1 (entry {_entries(meeting)[0].pk}): entry was altered"
        in out
    )
    assert "1 break(s)" in err


def test_audit_api_filters_by_object_actor_and_time(api_as, admin_user, organiser, make_meeting):
    first, second = make_meeting(title="一"), make_meeting(title="二")
    meetings.update_meeting(second, actor=admin_user, title="二改")
    api = api_as(admin_user)
    by_object = api.get("/api/v1/audit", object_type="meeting", object_id=str(second.pk)).json()
    assert [e["action"] for e in by_object["items"]] == [
        "meetings.meeting.updated",
        "meetings.meeting.created",
    ]
    by_actor = api.get("/api/v1/audit", object_type="meeting", actor="admin").json()
    assert [e["object_id"] for e in by_actor["items"]] == [str(second.pk)]
    created = AuditEntry.objects.get(
        action="meetings.meeting.created", object_id=str(first.pk)
    ).created_at
    later = api.get("/api/v1/audit", object_type="meeting", since=created.isoformat()).json()
    assert later["count"] == 3
    assert api.get("/api/v1/audit", until="2000-01-01T00:00:00+00:00").json()["count"] == 0
