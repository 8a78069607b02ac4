"""Adding people: departments, groups, import all-or-nothing with row errors, duplicates, export, substitutes."""

from __future__ import annotations

import io

import openpyxl
import pytest

from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.invitations import spreadsheets
from meetops.invitations.models import Invitation
from meetops.invitations.services import invitations as invites
from meetops.invitations.services import participants as people
from meetops.invitations.services.groups import save_group
from meetops.meetings.models import Participant
from meetops.people import services as people_services

pytestmark = pytest.mark.django_db


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEAD = ["姓名", "部门/单位", "职务", "电话", "邮箱", "角色", "座位偏好"]


def test_department_subtree_and_group_add_everyone_once(make_user, make_meeting, organiser):
    top = people_services.create_department(name="总部", actor=None)
    sub = people_services.create_department(name="办公室", parent=top, actor=None)
    other = people_services.create_department(name="外部", actor=None)
    a, b = make_user("a", department=top), make_user("b", department=sub)
    make_user("c", department=other)
    meeting = make_meeting()
    assert people.add_people(meeting, actor=organiser, department=top).added == 2
    group = save_group(actor=organiser, name="常委", users=[a, make_user("d")])
    result = people.add_people(meeting, actor=organiser, group=group)
    assert (result.added, result.skipped) == (1, 1)
    assert set(meeting.participants.values_list("user__username", flat=True)) == {
        "organiser",
        "a",
        "b",
        "d",
    }
    assert meeting.participants.get(user=b).organisation == "办公室"


def test_import_is_all_or_nothing_with_translated_row_errors(make_meeting, organiser):
    meeting = make_meeting()
    rows = spreadsheets.read_rows(
        xlsx(
            [
                HEAD,
                ["王五", "财政局", "科长", "13800138000", "wang@example.org", "主持人", "前排"],
                ["", "财政局", "", "", "x@example.org", "", ""],
                ["赵六", "", "", "abc", "not-an-email", "国王", ""],
            ]
        ),
        "list.xlsx",
    )
    with pytest.raises(ValidationFailed) as error:
        people.import_participants(meeting, actor=organiser, rows=rows)
    assert error.value.code == "import_failed"
    found = [(e["row"], e["code"]) for e in error.value.details["rows"]]
    assert found == [
        (3, "name_required"),
        (4, "invalid_email"),
        (4, "invalid_phone"),
        (4, "unknown_role"),
    ]
    assert "第 3 行" in error.value.details["rows"][0]["message"]
    assert meeting.participants.count() == 1  # only the organiser: nothing was imported


def test_import_duplicates_are_reported_or_merged(make_meeting, organiser):
    meeting = make_meeting()
    people.import_participants(
        meeting, actor=organiser, rows=[{"name": "王五", "email": "wang@example.org"}]
    )
    rows = spreadsheets.read_rows(
        "name,phone,e-mail,role\n王五,138-0013-8000,WANG@example.org,speaker\n李四,13900000000,,\n李四(2),139 0000 0000,,\n".encode(),
        "l.csv",
    )
    with pytest.raises(ValidationFailed) as error:
        people.import_participants(meeting, actor=organiser, rows=rows)
    assert [(e["row"], e["code"]) for e in error.value.details["rows"]] == [
        (2, "duplicate"),
        (4, "duplicate"),
    ]
    result = people.import_participants(meeting, actor=organiser, rows=rows, merge=True)
    assert (result.created, result.merged) == (1, 1)
    wang = meeting.participants.get(email="wang@example.org")
    assert wang.phone == "138-0013-8000"


def test_export_neutralises_formulas(client, make_meeting, organiser):
    meeting = make_meeting()
    from meetops.meetings import services as meetings

    meetings.add_participant(
        meeting, actor=organiser, name='=HYPERLINK("http://x")', email="e@example.org"
    )
    client.force_login(organiser)
    response = client.get(f"/meetings/{meeting.pk}/people/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names


def test_substitute_proposed_then_accepted_replaces_and_invites(guests, organiser, outbox_mails):
    meeting = guests(1)
    invites.send_invitations(meeting, actor=organiser, to="all")
    invitation = Invitation.objects.get()
    invites.respond(
        invitation,
        response="substitute",
        reason="出差",
        substitute={"name": "副处长", "email": "deputy@example.org"},
    )
    substitute = invites.decide_substitute(invitation, actor=organiser, accept=True)
    assert substitute.substitute_for_id == invitation.participant_id
    assert Participant.objects.get(pk=invitation.participant_id).status == "substituted"
    assert outbox_mails("deputy@example.org")[0].attachments
    assert "副处长" in outbox_mails("guest1@example.org")[-1].body
    with pytest.raises(DomainError) as error:
        invites.decide_substitute(invitation, actor=organiser, accept=False)
    assert error.value.code == "no_pending_substitute"


def test_optional_participant_cannot_send_substitute_and_member_cannot_decide(
    guests, organiser, member
):
    meeting = guests(1)
    participant = meeting.participants.get(email="guest1@example.org")
    people.update_participant(participant, actor=organiser, attendance="optional")
    invites.send_invitations(meeting, actor=organiser, to="all")
    invitation = Invitation.objects.get()
    with pytest.raises(ValidationFailed) as error:
        invites.respond(invitation, response="substitute", substitute={"name": "x"})
    assert error.value.code == "substitute_not_allowed"
    with pytest.raises(PermissionDenied):
        invites.decide_substitute(invitation, actor=member, accept=True)


def test_deadline_passed_refuses_answers(guests, organiser):
    from datetime import timedelta

    from django.utils import timezone

    meeting = guests(1)
    invites.send_invitations(meeting, actor=organiser, to="all")
    invites.set_deadline(meeting, actor=organiser, deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(DomainError) as error:
        invites.respond(Invitation.objects.get(), response="accept")
    assert error.value.code == "deadline_passed"


def test_p23_rule_needs_everyone_invited_and_a_deadline_or_all_answers(guests, organiser):
    from datetime import timedelta

    from meetops.policy.rules import is_met

    meeting = guests(2)
    assert not is_met("invitations.invitations_sent", meeting)
    invites.send_invitations(meeting, actor=organiser, to="all")
    assert not is_met("invitations.invitations_sent", meeting)
    invites.set_deadline(meeting, actor=organiser, deadline=meeting.start - timedelta(days=1))
    assert is_met("invitations.invitations_sent", meeting)
    step = meeting.steps.get(clause="P2.3")
    assert (step.completion, step.rule) == ("automatic", "invitations.invitations_sent")
