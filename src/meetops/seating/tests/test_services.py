"""Seat plans, seats by hand and by protocol order: return values, error codes, rows in the database."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.meetings import services as meeting_services
from meetops.notifications.models import OutboxMessage
from meetops.policy import rules
from meetops.seating import services
from meetops.seating.models import Seat, SeatAssignment, SeatPlan

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("主持人", "host", "办公室"),
    ("发言甲", "speaker", "财务处"),
    ("发言乙", "speaker", "教务处"),
    ("代表丙", "participant", "教务处"),
    ("代表甲", "participant", "财务处"),
    ("代表乙", "participant", "财务处"),
    ("列席一", "observer", "市教育局"),
    ("工作人员", "staff", "办公室"),
]


def _seat_of(plan, participant):
    return (
        SeatAssignment.objects.select_related("seat").get(plan=plan, participant=participant).seat
    )


def test_plan_from_the_booked_rooms_capacity_and_layout(seated_meeting, organiser):
    from meetops.venues.services.booking import book_room
    from meetops.venues.services.rooms import create_room

    meeting = seated_meeting([])
    room = create_room(actor=None, name="报告厅", capacity=120, layout="theatre")
    book_room(room, meeting=meeting, start=meeting.start, end=meeting.end, actor=organiser)
    plan = services.create_plan(meeting, actor=organiser)
    assert plan.room == room and plan.name == "报告厅"
    seats = Seat.objects.filter(plan=plan, section="audience", kind="seat").count()
    assert seats >= 120
    assert plan.aisle_columns, "a wide theatre gets a centre aisle"
    assert plan.rostrum_seats == 9
    numbers = list(
        Seat.objects.filter(plan=plan, section="audience", row=1)
        .order_by("col")
        .values_list("number", flat=True)
    )
    assert None in numbers and numbers.count(None) == 1  # the aisle has no number
    assert [n for n in numbers if n] == list(range(1, plan.columns))
    assert AuditEntry.objects.filter(action="seating.plan.created").count() == 1
    with pytest.raises(DomainError) as exc:
        services.create_plan(meeting, actor=organiser, room=room)
    assert exc.value.code == "plan_exists"


def test_auto_assign_follows_protocol_order(seated_meeting, small_plan, person, organiser):
    meeting = seated_meeting(PEOPLE)
    plan = small_plan(meeting, rostrum=5, rows=3, columns=4)
    result = services.auto_assign(plan, actor=organiser)
    assert result.unseated == []
    assert result.assigned == 7  # everyone but the staff member
    # Rostrum of five, three people: host (rank 1) centre, speaker 1 to the audience's right.
    assert (_seat_of(plan, person(meeting, "主持人")).col) == 3
    assert (_seat_of(plan, person(meeting, "发言甲")).col) == 4
    assert (_seat_of(plan, person(meeting, "发言乙")).col) == 2
    # Audience: by department, then name, from the front, left to right.
    front = [
        a.participant.name
        for a in SeatAssignment.objects.filter(plan=plan, seat__section="audience", seat__row=1)
        .select_related("participant")
        .order_by("seat__col")
    ]
    # By department, then name in pinyin order: 甲 jia before 乙 yi (code points put 乙 first).
    assert front == ["代表丙", "代表甲", "代表乙"]
    assert front[0] == "代表丙"  # 教务处 sorts before 财务处 by code point
    # Observers at the back.
    assert _seat_of(plan, person(meeting, "列席一")).row == 3
    assert not SeatAssignment.objects.filter(participant=person(meeting, "工作人员")).exists()
    assert AuditEntry.objects.filter(action="seating.plan.auto_assigned").count() == 1


def test_precedence_sets_the_rostrum_ranks(seated_meeting, small_plan, person, organiser):
    meeting = seated_meeting(PEOPLE[:4])
    plan = small_plan(meeting, rostrum=4, rows=2, columns=4)
    order = [person(meeting, n).pk for n in ("代表丙", "发言乙", "主持人", "发言甲")]
    services.set_precedence(plan, actor=organiser, participant_ids=order)
    services.auto_assign(plan, actor=organiser)
    cols = {
        n: _seat_of(plan, person(meeting, n)).col for n in ("代表丙", "发言乙", "主持人", "发言甲")
    }
    # Four seats, four people: 3 1 2 4 from the audience's left.
    assert cols == {"主持人": 1, "代表丙": 2, "发言乙": 3, "发言甲": 4}


def test_declined_people_get_no_seat_and_preferences_count(
    seated_meeting, small_plan, person, organiser
):
    from meetops.invitations.models import Invitation
    from meetops.invitations.services import invitations as invites

    meeting = seated_meeting(
        [
            ("甲", "participant", "A"),
            ("乙", "participant", "B", "靠过道"),
            ("丙", "participant", "C"),
        ],
        accept=False,
    )
    invitation = Invitation.objects.select_related("participant", "meeting").get(
        participant__name="丙"
    )
    invites.respond(invitation, response="decline", reason="出差")
    plan = small_plan(meeting, rostrum=0, rows=2, columns=5, aisles=[3])
    services.auto_assign(plan, actor=organiser)
    assert not SeatAssignment.objects.filter(participant=person(meeting, "丙")).exists()
    seat = _seat_of(plan, person(meeting, "乙"))
    assert seat.col in (1, 2, 4, 5) and seat.col in (
        1,
        2,
        4,
    )  # next to the aisle (col 3) or at the edge


def test_manual_places_survive_auto_assign(seated_meeting, small_plan, person, organiser):
    meeting = seated_meeting(PEOPLE[:5])
    plan = small_plan(meeting, rostrum=3, rows=3, columns=4)
    back_corner = Seat.objects.get(plan=plan, section="audience", row=3, col=4)
    services.assign_seat(
        plan, actor=organiser, seat=back_corner, participant=person(meeting, "代表甲")
    )
    services.auto_assign(plan, actor=organiser)
    assert _seat_of(plan, person(meeting, "代表甲")) == back_corner
    result = services.auto_assign(plan, actor=organiser, keep_manual=False)
    assert result.kept == 0
    assert _seat_of(plan, person(meeting, "代表甲")) != back_corner


def test_a_taken_seat_an_aisle_and_a_stranger_are_refused(
    seated_meeting, small_plan, person, organiser, make_meeting
):
    meeting = seated_meeting(PEOPLE[:3])
    plan = small_plan(meeting, rostrum=0, rows=1, columns=3, aisles=[2])
    seat, aisle, other = (Seat.objects.get(plan=plan, col=c) for c in (1, 2, 3))
    services.assign_seat(plan, actor=organiser, seat=seat, participant=person(meeting, "主持人"))
    with pytest.raises(DomainError) as exc:
        services.assign_seat(
            plan, actor=organiser, seat=seat, participant=person(meeting, "发言甲")
        )
    assert exc.value.code == "seat_taken"
    with pytest.raises(DomainError) as exc:
        services.assign_seat(
            plan, actor=organiser, seat=aisle, participant=person(meeting, "发言甲")
        )
    assert exc.value.code == "seat_unavailable"
    elsewhere = make_meeting(title="别的会")
    stranger = meeting_services.add_participant(
        elsewhere, actor=organiser, name="路人", email="x@example.org"
    )
    with pytest.raises(DomainError) as exc:
        services.assign_seat(plan, actor=organiser, seat=other, participant=stranger)
    assert exc.value.code == "not_on_meeting"
    # Moving a person frees their old seat.
    services.assign_seat(plan, actor=organiser, seat=other, participant=person(meeting, "主持人"))
    assert SeatAssignment.objects.filter(plan=plan).count() == 1
    assert _seat_of(plan, person(meeting, "主持人")) == other


def test_the_database_refuses_two_people_on_a_seat_and_two_seats_for_a_person(
    seated_meeting, small_plan, person, organiser
):
    meeting = seated_meeting(PEOPLE[:2])
    plan = small_plan(meeting, rostrum=0, rows=1, columns=2)
    a, b = Seat.objects.filter(plan=plan).order_by("col")
    host, speaker = person(meeting, "主持人"), person(meeting, "发言甲")
    SeatAssignment.objects.create(plan=plan, seat=a, participant=host)
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatAssignment.objects.create(plan=plan, seat=a, participant=speaker)
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatAssignment.objects.create(plan=plan, seat=b, participant=host)


def test_layout_change_refuses_to_drop_an_occupied_seat(
    seated_meeting, small_plan, person, organiser
):
    meeting = seated_meeting(PEOPLE[:1])
    plan = small_plan(meeting, rostrum=0, rows=3, columns=4)
    seat = Seat.objects.get(plan=plan, row=3, col=4)
    services.assign_seat(plan, actor=organiser, seat=seat, participant=person(meeting, "主持人"))
    with pytest.raises(DomainError) as exc:
        services.update_layout(plan, actor=organiser, size=services.GridSize(0, 0, 2, 4))
    assert exc.value.code == "seat_in_use"
    with pytest.raises(DomainError) as exc:
        services.update_layout(
            plan,
            actor=organiser,
            size=services.GridSize(0, 0, 3, 4),
            cells=[services.CellSpec("audience", 3, 4, "blocked")],
        )
    assert exc.value.code == "seat_in_use"
    plan = services.update_layout(
        plan,
        actor=organiser,
        size=services.GridSize(1, 3, 4, 5, (3,)),
        cells=[services.CellSpec("audience", 1, 1, "seat", reserved=True, note="媒体")],
    )
    assert Seat.objects.filter(plan=plan).count() == 3 + 4 * 5
    assert Seat.objects.get(plan=plan, section="audience", row=1, col=1).reserved
    assert (
        Seat.objects.get(plan=plan, section="audience", row=3, col=4).number == 3
    )  # renumbered past the aisle
    assert SeatAssignment.objects.filter(plan=plan).count() == 1


def test_member_and_outsider_may_not_arrange(
    seated_meeting, small_plan, person, organiser, member, outsider
):
    meeting = seated_meeting(PEOPLE[:1])
    plan = small_plan(meeting)
    for who in (member, outsider):
        with pytest.raises(DomainError) as exc:
            services.auto_assign(plan, actor=who)
        assert exc.value.code == "forbidden"
    meeting_services.add_participant(meeting, actor=organiser, user=member, role="staff")
    member.__dict__.pop("role_codes", None)
    meeting.__dict__.pop("_roles_cache", None)
    assert services.auto_assign(plan, actor=member).assigned == 1  # the meeting's staff (会务) may


def test_rule_all_required_seated(seated_meeting, small_plan, person, organiser):
    meeting = seated_meeting(PEOPLE[:3])
    assert not rules.is_met("seating.all_required_seated", meeting)
    plan = small_plan(meeting)
    assert not rules.is_met("seating.all_required_seated", meeting)
    services.assign_seat(
        plan,
        actor=organiser,
        seat=Seat.objects.filter(plan=plan, kind="seat").first(),
        participant=person(meeting, "主持人"),
    )
    assert not rules.is_met("seating.all_required_seated", meeting)
    services.auto_assign(plan, actor=organiser)
    assert rules.is_met("seating.all_required_seated", meeting)


def test_p32_step_is_automatic(seated_meeting):
    meeting = seated_meeting([])
    step = meeting.steps.get(clause="P3.2")
    assert (step.completion, step.rule) == ("automatic", "seating.all_required_seated")


def test_moving_a_seat_tells_the_person_in_their_language(
    seated_meeting, small_plan, organiser, make_user
):
    from meetops.invitations.services import invitations as invites

    meeting = seated_meeting([])
    guest = make_user("laowang", display_name="老王", email="laowang@example.org")
    guest.language = "zh-hant"
    guest.save(update_fields=["language"])
    participant = meeting_services.add_participant(meeting, actor=organiser, user=guest)
    invites.send_invitations(meeting, actor=organiser, to="all")
    plan = small_plan(meeting, rostrum=0, rows=2, columns=2)
    seat = Seat.objects.get(plan=plan, row=2, col=1)
    before = OutboxMessage.objects.count()
    services.assign_seat(
        plan, actor=organiser, seat=seat, participant=participant, notify_person=True
    )
    messages = OutboxMessage.objects.filter(event="seating.seat.changed")
    assert messages.count() == OutboxMessage.objects.count() - before >= 1
    assert {m.channel for m in messages} >= {"email"}
    assert any("第2排" in (m.subject + m.body) and "座位" in m.subject for m in messages)
    # Without asking to tell, nobody is told.
    services.assign_seat(
        plan,
        actor=organiser,
        seat=Seat.objects.get(plan=plan, row=1, col=1),
        participant=participant,
    )
    assert messages.count() == OutboxMessage.objects.filter(event="seating.seat.changed").count()


def test_delete_plan(seated_meeting, small_plan, organiser):
    meeting = seated_meeting(PEOPLE[:2])
    plan = small_plan(meeting)
    services.auto_assign(plan, actor=organiser)
    services.delete_plan(plan, actor=organiser)
    assert not SeatPlan.objects.filter(meeting=meeting).exists()
    assert AuditEntry.objects.filter(action="seating.plan.deleted").count() == 1


def test_a_person_in_two_roles_gets_one_seat(seated_meeting, small_plan, organiser, make_user):
    from meetops.invitations.services import invitations as invites
    from meetops.seating.selectors import seat_of

    meeting = seated_meeting([])
    speaker = make_user("heping", display_name="何平", email="heping@example.org")
    as_speaker = meeting_services.add_participant(
        meeting, actor=organiser, user=speaker, role="speaker"
    )
    as_participant = meeting_services.add_participant(meeting, actor=organiser, user=speaker)
    invites.send_invitations(meeting, actor=organiser, to="all")
    plan = small_plan(meeting, rostrum=3, rows=2, columns=3)
    services.auto_assign(plan, actor=organiser)
    assert SeatAssignment.objects.filter(plan=plan).count() == 1
    assert (
        SeatAssignment.objects.get(plan=plan).participant == as_speaker
    )  # the more prominent role
    assert seat_of(as_participant).participant == as_speaker  # either row finds the seat
    # Placing the other row by hand moves the person, never gives them a second seat.
    free = Seat.objects.filter(plan=plan, section="audience").first()
    services.assign_seat(plan, actor=organiser, seat=free, participant=as_participant)
    assert SeatAssignment.objects.filter(plan=plan).count() == 1


def _entries(action):
    return AuditEntry.objects.filter(action=action).count()


def test_saves_that_change_nothing_write_nothing(seated_meeting, small_plan, person, organiser):
    meeting = seated_meeting(PEOPLE[:2])
    plan = small_plan(meeting, rostrum=0, rows=2, columns=3)
    size = services.GridSize(0, 0, 2, 3)
    stamp = SeatPlan.objects.get(pk=plan.pk).updated_at
    services.update_layout(plan, actor=organiser, size=size)
    assert _entries("seating.plan.updated") == 0
    assert SeatPlan.objects.get(pk=plan.pk).updated_at == stamp
    reserved = [services.CellSpec("audience", 1, 1, "seat", reserved=True, note="媒体")]
    services.update_layout(plan, actor=organiser, size=size, cells=reserved)
    assert _entries("seating.plan.updated") == 1  # only a cell changed: still a change
    services.update_layout(plan, actor=organiser, size=size, cells=reserved)
    assert _entries("seating.plan.updated") == 1

    seat = Seat.objects.get(plan=plan, section="audience", row=2, col=2)
    services.set_seat(plan, actor=organiser, seat=seat, kind="seat")
    assert _entries("seating.seat.changed") == 0
    services.set_seat(plan, actor=organiser, seat=seat, kind="blocked")
    assert _entries("seating.seat.changed") == 1

    order = [person(meeting, "主持人").pk]
    services.set_precedence(plan, actor=organiser, participant_ids=order)
    services.set_precedence(plan, actor=organiser, participant_ids=order)
    assert _entries("seating.plan.precedence_set") == 1
