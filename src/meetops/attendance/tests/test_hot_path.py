"""The QR sign-in at the floor: its statements pinned, its guarantees kept (issue 17).

A scan costs the token check and the caller's global roles (what `GET /api/v1/me` costs),
the code's participant by its index with the meeting, its desk settings and the caller's
roles on it (one statement), the insert that decides the race and the audit entry. Nothing
is read back for the answer.
"""

from __future__ import annotations

import pytest

from meetops.attendance import services
from meetops.attendance.models import SignIn
from meetops.core import audit
from meetops.core.models import AuditEntry
from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole, ParticipantStatus

pytestmark = pytest.mark.django_db

# token, roles, code's participant (+meeting, +desk settings, +caller's roles), savepoint,
# insert, audit, release (in production BEGIN IMMEDIATE on SQLite, nothing on PostgreSQL)
FIRST_SCAN = 7
# ... the insert that did nothing, then the sign-in that won
REPEAT_SCAN = 7


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
    with django_assert_num_queries(FIRST_SCAN):
        first = api.post(url, {"code": code})
    with django_assert_num_queries(REPEAT_SCAN):
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
