"""The QR sign-in at the floor: its statements pinned, its guarantees kept (issue 17).

A scan costs the token check (what `GET /api/v1/me` costs too), the code's participant by
its index with the meeting, its desk settings, the caller's roles on it and the caller's
global roles (one statement; on PostgreSQL it also draws the sign-in's id), then the insert
that decides the race and the audit entry: one statement on PostgreSQL, two in a
transaction on SQLite. Nothing is read back for the answer.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from meetops.attendance import services
from meetops.attendance.models import SignIn
from meetops.core import audit
from meetops.core.models import AuditEntry
from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole, ParticipantStatus

pytestmark = pytest.mark.django_db

# SQLite: token, code's participant (+meeting, +desk settings, +caller's roles on it and
# global roles), savepoint, insert, audit, release (in production BEGIN IMMEDIATE … COMMIT).
# It was 7 until the global roles came with the desk's read (a statement of their own).
# PostgreSQL: token, the same read (+ the sign-in's id from its sequence), then the insert
# and its audit entry in one statement, no transaction (ADR 0019, fifth pass): 3.
FIRST_SCAN = {"sqlite": 6, "postgresql": 3}
# ... the insert that did nothing (SQLite: in its transaction), then the sign-in that won
REPEAT_SCAN = {"sqlite": 6, "postgresql": 4}


@pytest.mark.parametrize("persona", ["organiser", "staff"])
def test_a_scan_costs_a_handful_of_statements(
    api_as,
    desk_meeting,
    guest,
    code_of,
    organiser,
    make_user,
    persona,
    django_assert_num_queries,
):
    meeting = desk_meeting(2)
    user = organiser
    if persona == "staff":
        user = make_user("desk")
        meetings.add_participant(meeting, actor=organiser, user=user, role=MeetingRole.STAFF)
    api = api_as(user)
    api.get("/api/v1/me")  # the token's first use records when it was used
    url = f"/api/v1/meetings/{meeting.pk}/signins"
    code = code_of(guest(meeting, 1))
    with django_assert_num_queries(FIRST_SCAN[connection.vendor]):
        first = api.post(url, {"code": code})
    with django_assert_num_queries(REPEAT_SCAN[connection.vendor]):
        again = api.post(url, {"code": code})
    assert (first.status_code, again.status_code) == (201, 200)
    body = first.json()
    assert again.json() == body
    assert body["participant"]["name"] == "嘉宾1"
    assert (body["method"], body["late"], body["by_id"]) == ("qr_scan", False, user.pk)
    signin = SignIn.objects.get()
    assert (signin.pk, signin.by_id, signin.method) == (body["id"], user.pk, "qr_scan")
    entry = AuditEntry.objects.get(action="attendance.signin.created")
    assert (entry.stream, entry.seq, entry.prev_hash) == (f"signin:{signin.pk}", 1, "")
    checked, breaks = audit.verify(against_checkpoint=False)
    assert checked and breaks == []


def test_me_is_the_floor(api_as, organiser, django_assert_num_queries):
    api = api_as(organiser)
    api.get("/api/v1/me")
    with django_assert_num_queries(2):
        assert api.get("/api/v1/me").status_code == 200


def test_the_insert_refuses_a_participant_replaced_after_being_loaded(
    desk_meeting, guest, organiser
):
    meeting = desk_meeting(1)
    stale = guest(meeting, 1)  # loaded while still active
    type(stale).objects.filter(pk=stale.pk).update(status=ParticipantStatus.SUBSTITUTED)
    with pytest.raises(Exception) as caught:
        services.sign_in(meeting, participant=stale, actor=organiser)
    assert getattr(caught.value, "code", None) == "participant_substituted"
    assert not SignIn.objects.exists()
    assert not AuditEntry.objects.filter(action="attendance.signin.created").exists()


def test_a_new_sign_in_after_an_undo_starts_its_own_stream(desk_meeting, guest, organiser):
    meeting = desk_meeting(1)
    first = services.sign_in(meeting, participant=guest(meeting, 1), actor=organiser).signin
    services.undo_sign_in(first, actor=organiser, reason="错签")
    second = services.sign_in(meeting, participant=guest(meeting, 1), actor=organiser)
    assert second.created and second.signin.pk != first.pk
    assert SignIn.objects.filter(undone_at__isnull=True).get().pk == second.signin.pk
    assert audit.verify(against_checkpoint=False)[1] == []


def test_the_one_statement_scan_answers_as_the_two_did(
    api_as, desk_meeting, guest, code_of, organiser, member, outsider
):
    """The code's participant comes with the meeting: who may not see the meeting, or may not
    run its desk, still learns nothing of the code; revoked and other meetings' codes are refused."""
    meeting = desk_meeting(2, confidentiality="confidential")
    other = desk_meeting(1)
    url = f"/api/v1/meetings/{meeting.pk}/signins"
    code = code_of(guest(meeting, 1))
    meetings.add_participant(meeting, actor=organiser, user=member)  # sees it, no desk

    def refused(user, payload):  # type: ignore[no-untyped-def]
        response = api_as(user).post(url, payload)
        return response.status_code, response.json()["error"]["code"]

    assert refused(outsider, {"code": code}) == (404, "not_found")
    assert refused(member, {"code": code}) == (403, "forbidden")
    assert refused(organiser, {"code": code, "participant_id": 1}) == (422, "participant_or_code")
    revoked = code_of(guest(meeting, 2))
    type(guest(meeting, 2).invitation).objects.filter(checkin_code=revoked).update(
        revoked_at=meeting.start
    )
    assert refused(organiser, {"code": revoked}) == (404, "unknown_code")
    assert refused(organiser, {"code": code_of(guest(other, 1))})[1] == "code_for_other_meeting"
    assert not SignIn.objects.exists()
    assert api_as(organiser).post(url, {"code": code}).status_code == 201


def test_a_host_held_as_a_further_role_runs_the_desk(
    api_as, desk_meeting, guest, code_of, organiser, make_user
):
    # One person, one row: someone invited as a participant and then made host holds host in
    # `extra_roles`. The desk's one-statement read of the caller's roles must see it.
    meeting = desk_meeting(2)
    cohost = make_user("cohost")
    meetings.add_participant(meeting, actor=organiser, user=cohost, role=MeetingRole.PARTICIPANT)
    meetings.add_participant(meeting, actor=organiser, user=cohost, role=MeetingRole.HOST)
    row = meeting.participants.get(user=cohost)
    assert (row.role, row.extra_roles) == (MeetingRole.PARTICIPANT, [MeetingRole.HOST])
    response = api_as(cohost).post(
        f"/api/v1/meetings/{meeting.pk}/signins", {"code": code_of(guest(meeting, 1))}
    )
    assert response.status_code == 201, response.content
    assert response.json()["by_id"] == cohost.pk


def test_the_callers_global_roles_come_with_the_desks_read(
    api_as, desk_meeting, guest, code_of, admin_user, make_user, django_assert_num_queries
):
    """The caller's global roles come with the desk's read: an administrator on nothing may
    scan at a confidential meeting's desk; a leader on nothing sees a restricted meeting
    (a global role's right) but may not run its desk (403, not 404)."""
    from meetops.people.models import Role

    url_of = "/api/v1/meetings/{}/signins".format
    restricted = desk_meeting(1, confidentiality="restricted")
    leader = make_user("leader", roles=(Role.LEADER,))
    code = code_of(guest(restricted, 1))
    refused = api_as(leader).post(url_of(restricted.pk), {"code": code})
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    meeting = desk_meeting(2, confidentiality="confidential")
    code = code_of(guest(meeting, 1))
    admin = api_as(admin_user)
    admin.get("/api/v1/me")
    with django_assert_num_queries(FIRST_SCAN[connection.vendor]):
        response = admin.post(url_of(meeting.pk), {"code": code})
    assert response.status_code == 201, response.content
    assert response.json()["by_id"] == admin_user.pk


def _entry_fields(entry: AuditEntry) -> dict[str, object]:
    fields = [
        "actor_id",
        "actor_name",
        "action",
        "object_type",
        "changes",
        "source",
        "ip_address",
        "seq",
        "prev_hash",
        "algorithm",
    ]
    return {name: getattr(entry, name) for name in fields}


def test_a_scan_writes_the_entry_record_writes(
    api_as, desk_meeting, guest, code_of, organiser, settings
):
    """On PostgreSQL the scan's entry is written with the sign-in in one statement; it must be
    the entry `audit.record(..., new_stream=True)` writes for a sign-in at the desk (every
    field but the time and the ids, and a seal that verifies)."""
    meeting = desk_meeting(2)
    scanned = api_as(organiser).post(
        f"/api/v1/meetings/{meeting.pk}/signins", {"code": code_of(guest(meeting, 1))}
    )
    assert scanned.status_code == 201
    with audit.audit_context("api", "127.0.0.1"):
        services.sign_in(meeting, participant=guest(meeting, 2), actor=organiser, method="qr_scan")
    one, two = (
        AuditEntry.objects.get(action="attendance.signin.created", object_id=str(s.pk))
        for s in SignIn.objects.order_by("pk")
    )
    assert one.object_id == str(scanned.json()["id"])
    assert _entry_fields(one) == _entry_fields(two)
    for entry in (one, two):
        signin = SignIn.objects.get(pk=entry.object_id)
        assert (entry.stream, entry.object_repr) == (f"signin:{signin.pk}", str(signin))
    assert {k: v for k, v in one.data.items() if k not in ("participant", "person")} == {
        k: v for k, v in two.data.items() if k not in ("participant", "person")
    }
    assert (one.data["person"], two.data["person"]) == ("嘉宾1", "嘉宾2")
    assert audit.verify(against_checkpoint=False)[1] == []


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_one_statement_writes_neither_row_when_the_entry_cannot_be_written(
    desk_meeting, guest, code_of, organiser
):
    """The sign-in and its entry are one statement: if the entry fails (its stream taken), the
    sign-in is not written either, and nothing forks the chain."""
    from meetops.attendance.selectors import get_meeting_for_desk
    from meetops.core.prepared import NextId

    meeting = desk_meeting(1)
    drawn = SignIn.objects.annotate(n=NextId(SignIn)).values_list("n", flat=True)
    assert not list(drawn)  # no rows, so nothing drawn: the next id is still free
    last = type(meeting).objects.annotate(n=NextId(SignIn)).values_list("n", flat=True)[0]
    taken = AuditEntry(
        created_at=meeting.start,
        action="squatter",
        object_type="signin",
        object_id=str(last + 1),
        source="system",
        stream=f"signin:{last + 1}",
        seq=1,
        hash="x",
    )
    taken.save()
    desk = get_meeting_for_desk(organiser, meeting.pk, code=code_of(guest(meeting, 1)))
    with pytest.raises(IntegrityError), transaction.atomic():
        services.sign_in_by_code(desk, code=code_of(guest(meeting, 1)), actor=organiser)
    assert not SignIn.objects.exists()
    assert not AuditEntry.objects.filter(action="attendance.signin.created").exists()
