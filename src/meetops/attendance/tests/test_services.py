"""Sign-in rules: late flag, substitutes, undo, walk-ins, self sign-in, who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest

from meetops.attendance import selectors, services
from meetops.attendance.models import Method, SignIn
from meetops.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from meetops.core.models import AuditEntry
from meetops.invitations.models import Invitation
from meetops.invitations.services import invitations as invites
from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole, ParticipantStatus
from meetops.policy import rules

pytestmark = pytest.mark.django_db


def test_on_time_sign_in_is_recorded_and_audited(desk_meeting, guest, organiser):
    meeting = desk_meeting(2)
    result = services.sign_in(meeting, participant=guest(meeting, 1), actor=organiser)
    assert result.created
    signin = result.signin
    assert (signin.method, signin.late, signin.by, signin.walk_in) == (
        Method.DESK_MANUAL,
        False,
        organiser,
        False,
    )
    entry = AuditEntry.objects.get(action="attendance.signin.created")
    assert entry.object_id == str(signin.pk)
    assert entry.data["participant"] == guest(meeting, 1).pk
    assert selectors.summary(meeting).__dict__ == {
        "expected": 2,
        "signed_in": 1,
        "not_yet": 1,
        "late": 0,
        "walk_ins": 0,
    }


def test_late_after_the_grace_minutes(desk_meeting, guest, organiser):
    within_grace = desk_meeting(1, starts_in=timedelta(minutes=-3))
    late = desk_meeting(1, starts_in=timedelta(minutes=-6))
    assert not services.sign_in(
        within_grace, participant=guest(within_grace, 1), actor=organiser
    ).signin.late
    assert services.sign_in(late, participant=guest(late, 1), actor=organiser).signin.late
    services.update_desk_settings(
        within_grace, actor=organiser, self_signin=False, grace_minutes=0, opens_minutes=60
    )
    assert selectors.late_after(within_grace) == within_grace.start
    assert selectors.summary(late).late == 1


def test_second_sign_in_returns_the_first(desk_meeting, guest, organiser, code_of):
    meeting = desk_meeting(1)
    first = services.sign_in(meeting, participant=guest(meeting, 1), actor=organiser)
    again = services.sign_in_by_code(meeting, code=code_of(guest(meeting, 1)), actor=organiser)
    assert not again.created
    assert again.signin.pk == first.signin.pk
    assert SignIn.objects.count() == 1
    assert AuditEntry.objects.filter(action="attendance.signin.created").count() == 1


def test_scanner_input_may_be_the_whole_url(desk_meeting, guest, organiser, code_of, settings):
    meeting = desk_meeting(1)
    url = f"{settings.SITE_URL}/checkin/{code_of(guest(meeting, 1))}\n"
    result = services.sign_in_by_code(meeting, code=url, actor=organiser)
    assert result.created and result.signin.method == Method.QR_SCAN


def test_unknown_revoked_and_foreign_codes(desk_meeting, guest, organiser, code_of):
    meeting, other = desk_meeting(1), desk_meeting(1, title="另一个会")
    with pytest.raises(NotFound) as unknown:
        services.sign_in_by_code(meeting, code="nope", actor=organiser)
    assert unknown.value.code == "unknown_code"
    with pytest.raises(DomainError) as foreign:
        services.sign_in_by_code(meeting, code=code_of(guest(other, 1)), actor=organiser)
    assert foreign.value.code == "code_for_other_meeting"
    invites.revoke_invitation(
        Invitation.objects.get(participant=guest(meeting, 1)), actor=organiser
    )
    with pytest.raises(NotFound):
        services.sign_in_by_code(meeting, code=code_of(guest(meeting, 1)), actor=organiser)
    assert not SignIn.objects.exists()


def test_foreign_code_names_the_other_meeting_only_to_those_who_may_see_it(
    desk_meeting, guest, organiser, member, code_of
):
    """Desk staff of one meeting scan a code of a confidential meeting they are not on."""
    meeting = desk_meeting(1)
    secret = desk_meeting(1, title="绝密人事会", confidentiality="confidential")
    meetings.add_participant(meeting, actor=organiser, user=member, role="staff")
    code = code_of(guest(secret, 1))
    with pytest.raises(DomainError) as hidden:
        services.sign_in_by_code(meeting, code=code, actor=member)
    assert hidden.value.code == "code_for_other_meeting"
    assert "绝密人事会" not in str(hidden.value.message)
    assert "绝密人事会" not in repr(hidden.value.details)
    with pytest.raises(DomainError) as shown:
        services.sign_in_by_code(meeting, code=code, actor=organiser)
    assert shown.value.code == "code_for_other_meeting"
    assert "绝密人事会" in str(shown.value.message)


def test_too_early_and_cancelled_meetings_refuse(desk_meeting, guest, organiser):
    early = desk_meeting(1, starts_in=timedelta(hours=3))
    with pytest.raises(DomainError) as exc:
        services.sign_in(early, participant=guest(early, 1), actor=organiser)
    assert exc.value.code == "signin_not_open"
    meeting = desk_meeting(1)
    meeting = meetings.transition_meeting(meeting, actor=organiser, to="cancelled", reason="台风")
    with pytest.raises(DomainError) as frozen:
        services.sign_in(meeting, participant=guest(meeting, 1), actor=organiser)
    assert frozen.value.code == "meeting_frozen"


def test_undo_needs_a_reason_keeps_history_and_allows_signing_again(desk_meeting, guest, organiser):
    meeting = desk_meeting(1)
    first = services.sign_in(meeting, participant=guest(meeting, 1), actor=organiser).signin
    with pytest.raises(ValidationFailed) as exc:
        services.undo_sign_in(first, actor=organiser, reason="  ")
    assert exc.value.code == "reason_required"
    undone = services.undo_sign_in(first, actor=organiser, reason="扫错人了")
    assert undone.undone_at is not None and undone.undo_reason == "扫错人了"
    assert AuditEntry.objects.get(action="attendance.signin.undone").data["reason"] == "扫错人了"
    with pytest.raises(DomainError) as twice:
        services.undo_sign_in(first, actor=organiser, reason="again")
    assert twice.value.code == "already_undone"
    assert selectors.summary(meeting).signed_in == 0
    again = services.sign_in(meeting, participant=guest(meeting, 1), actor=organiser)
    assert again.created and again.signin.pk != first.pk
    assert SignIn.objects.filter(participant=guest(meeting, 1)).count() == 2


def test_accepted_substitute_signs_in_for_the_original(desk_meeting, guest, organiser):
    meeting = desk_meeting(1)
    original = guest(meeting, 1)
    invitation = Invitation.objects.get(participant=original)
    invites.respond(
        invitation,
        response="substitute",
        reason="出差",
        substitute={"name": "代表甲", "email": "deputy@example.org", "phone": "139"},
    )
    substitute = invites.decide_substitute(invitation, actor=organiser, accept=True)
    with pytest.raises(DomainError) as exc:
        services.sign_in(meeting, participant=original, actor=organiser)
    assert exc.value.code == "participant_substituted"
    signin = services.sign_in(meeting, participant=substitute, actor=organiser).signin
    assert signin.substitute_for == original
    summary = selectors.summary(meeting)
    assert (summary.expected, summary.signed_in, summary.not_yet) == (1, 1, 0)
    assert original.__class__.objects.get(pk=original.pk).status == ParticipantStatus.SUBSTITUTED


def test_walk_in_is_added_through_the_participant_service(desk_meeting, guest, organiser):
    meeting = desk_meeting(2)
    result = services.admit_walk_in(meeting, actor=organiser, name="临时来宾", phone="137")
    assert result.created and result.signin.walk_in
    assert result.signin.participant.attendance == "optional"
    assert AuditEntry.objects.filter(action="meetings.participant.added").exists()
    deputy = services.admit_walk_in(
        meeting, actor=organiser, name="代参者", substitute_for=guest(meeting, 2)
    ).signin
    assert deputy.substitute_for == guest(meeting, 2)
    summary = selectors.summary(meeting)
    assert (summary.expected, summary.signed_in, summary.walk_ins) == (2, 0, 2)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("organiser", True), ("host", True), ("staff", True), ("member", False), ("outsider", False)],
)
def test_who_may_sign_people_in(desk_meeting, guest, organiser, make_user, persona, allowed):
    meeting = desk_meeting(1)
    actor = organiser
    if persona != "organiser":
        actor = make_user(persona)
        if persona in ("host", "staff", "member"):
            role = {"host": MeetingRole.HOST, "staff": MeetingRole.STAFF}.get(
                persona, MeetingRole.PARTICIPANT
            )
            meetings.add_participant(meeting, actor=organiser, user=actor, role=role)
    if allowed:
        assert services.sign_in(meeting, participant=guest(meeting, 1), actor=actor).created
    else:
        with pytest.raises(PermissionDenied):
            services.sign_in(meeting, participant=guest(meeting, 1), actor=actor)
        assert not SignIn.objects.exists()


def test_staff_admit_walk_ins_but_do_not_change_settings(desk_meeting, organiser, make_user):
    """Issue 16 finding 10: desk staff register walk-ins; the desk's settings stay the managers'."""
    meeting = desk_meeting(1)
    staff = make_user("desk")
    meetings.add_participant(meeting, actor=organiser, user=staff, role=MeetingRole.STAFF)
    result = services.admit_walk_in(meeting, actor=staff, name="临时来宾")
    assert result.created and result.signin.walk_in and result.signin.by == staff
    assert result.signin.participant.attendance == "optional"
    with pytest.raises(PermissionDenied):
        services.update_desk_settings(
            meeting, actor=staff, self_signin=True, grace_minutes=5, opens_minutes=60
        )


def test_self_sign_in_needs_the_switch_and_the_window(desk_meeting, guest, organiser):
    meeting = desk_meeting(1, starts_in=timedelta(minutes=90))
    invitation = Invitation.objects.get(participant=guest(meeting, 1))
    with pytest.raises(DomainError) as off:
        services.self_sign_in(invitation)
    assert off.value.code == "self_signin_closed"
    services.update_desk_settings(
        meeting, actor=organiser, self_signin=True, grace_minutes=5, opens_minutes=60
    )
    assert AuditEntry.objects.filter(action="attendance.settings.updated").exists()
    with pytest.raises(DomainError):
        services.self_sign_in(invitation)  # opens 60 minutes before; it is 90
    services.update_desk_settings(
        meeting, actor=organiser, self_signin=True, grace_minutes=5, opens_minutes=120
    )
    result = services.self_sign_in(Invitation.objects.get(pk=invitation.pk))
    assert result.created and result.signin.method == Method.SELF_LINK and result.signin.by is None


def test_settings_are_range_checked(desk_meeting, organiser):
    meeting = desk_meeting(0)
    with pytest.raises(ValidationFailed) as exc:
        services.update_desk_settings(
            meeting, actor=organiser, self_signin=False, grace_minutes=999, opens_minutes=60
        )
    assert exc.value.details["field"] == "grace_minutes"


def test_rule_holds_once_someone_signed_in(desk_meeting, guest, organiser):
    meeting = desk_meeting(1)
    assert rules.get_rule("attendance.signin_recorded") is not None
    assert not rules.is_met("attendance.signin_recorded", meeting)
    step = meeting.steps.get(clause="P3.1")
    assert (step.completion, step.rule) == ("automatic", "attendance.signin_recorded")
    services.sign_in(meeting, participant=guest(meeting, 1), actor=organiser)
    assert rules.is_met("attendance.signin_recorded", meeting)


def test_a_walk_in_gets_a_seat_when_the_meeting_uses_seating(desk_meeting, guest, organiser):
    """Issue 16 finding 3: the walk-in is seated (a free seat, or the seat of whom they replace)."""
    from meetops.seating import services as seating
    from meetops.seating.models import SeatAssignment
    from meetops.seating.services import GridSize

    meeting = desk_meeting(2)
    plain = services.admit_walk_in(meeting, actor=organiser, name="无座位图来宾")
    assert not SeatAssignment.objects.filter(participant=plain.signin.participant).exists()

    plan = seating.create_plan(meeting, actor=organiser, size=GridSize(1, 2, 2, 3))
    seating.auto_assign(plan, actor=organiser)
    held = SeatAssignment.objects.get(participant=guest(meeting, 2)).seat
    walk_in = services.admit_walk_in(meeting, actor=organiser, name="临时来宾").signin.participant
    seat = SeatAssignment.objects.get(participant=walk_in).seat
    assert seat.section == "audience" and seat != held
    deputy = services.admit_walk_in(
        meeting, actor=organiser, name="代参者", substitute_for=guest(meeting, 2)
    ).signin.participant
    assert SeatAssignment.objects.get(participant=deputy).seat == held  # in their place
    assert (
        AuditEntry.objects.filter(action="seating.seat.assigned", data__walk_in=True).count() == 2
    )


def test_desk_settings_saved_as_they_were_write_nothing_and_say_so(client, desk_meeting, organiser):
    """The same switch and minutes again: no audit entry, the desk says 未作修改."""
    from django.urls import reverse

    meeting = desk_meeting(1)
    settings = {"self_signin": True, "grace_minutes": 5, "opens_minutes": 60}
    services.update_desk_settings(meeting, actor=organiser, **settings)
    entries = AuditEntry.objects.filter(action="attendance.settings.updated")
    assert entries.count() == 1
    client.force_login(organiser)
    page = client.post(
        reverse("attendance:settings", args=[meeting.pk]),
        {"self_signin": "on", "grace_minutes": "5", "opens_minutes": "60"},
        follow=True,
        headers={"Accept-Language": "zh-hans"},
    )
    assert "未作修改" in page.content.decode() and entries.count() == 1
    page = client.post(
        reverse("attendance:settings", args=[meeting.pk]),
        {"self_signin": "on", "grace_minutes": "10", "opens_minutes": "60"},
        follow=True,
        headers={"Accept-Language": "zh-hans"},
    )
    assert "未作修改" not in page.content.decode() and entries.count() == 2
