"""The host's console: the state machine, overrun and drift, permissions, races."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.live import services
from meetops.live.models import ItemTiming, LiveSession
from meetops.live.selectors import board_of
from meetops.meetings.models import Meeting
from meetops.policy import rules

pytestmark = pytest.mark.django_db


def test_next_walks_the_agenda_and_records_actual_times(room_meeting, items, host):
    t0 = room_meeting.start
    services.next_item(room_meeting, actor=host, at=t0)
    services.next_item(room_meeting, actor=host, at=t0 + timedelta(minutes=12))
    services.next_item(room_meeting, actor=host, at=t0 + timedelta(minutes=30))
    session = services.end_meeting(room_meeting, actor=host, at=t0 + timedelta(minutes=55))
    assert session.state == "ended" and session.started_at == t0
    assert session.ended_at == t0 + timedelta(minutes=55)
    timings = {t.item_id: t for t in ItemTiming.objects.all()}
    assert [timings[i.pk].started_at for i in items] == [
        t0,
        t0 + timedelta(minutes=12),
        t0 + timedelta(minutes=30),
    ]
    assert all(t.ended_at for t in timings.values())
    assert AuditEntry.objects.filter(action="live.item.started").count() == 3
    assert AuditEntry.objects.filter(action="live.meeting.ended").count() == 1


def test_overrun_and_drift_against_the_plan(room_meeting, items, host):
    t0 = room_meeting.start
    services.start_item(room_meeting, item=items[0], actor=host, at=t0)
    services.next_item(room_meeting, actor=host, at=t0 + timedelta(minutes=15))  # 5 min over
    board = board_of(room_meeting, now=t0 + timedelta(minutes=16))
    first, second, third = board.items
    assert first.overrun_seconds == 300 and first.status == "done"
    assert second.status == "running" and second.remaining_seconds == 19 * 60
    assert second.start_delay_seconds == 300
    assert board.drift_seconds == 300  # the meeting now ends five minutes late
    assert board.total_overrun_seconds == 300
    # Catch up on the item still to come (the running one is the speaker's).
    assert [(s.item_id, s.cut_minutes) for s in board.suggestions] == [(third.item_id, 5)]
    assert board.phase == "normal"


def test_an_ended_meeting_reports_its_drift_but_suggests_no_catching_up(room_meeting, items, host):
    t0 = room_meeting.start
    services.start_item(room_meeting, item=items[0], actor=host, at=t0)
    services.next_item(room_meeting, actor=host, at=t0 + timedelta(minutes=15))  # 5 min over
    services.end_meeting(room_meeting, actor=host, at=t0 + timedelta(minutes=20))
    board = board_of(room_meeting, now=t0 + timedelta(minutes=90))
    assert board.state == "ended"
    assert board.projected_end == t0 + timedelta(minutes=20)
    # Items never taken cannot be shortened any more.
    assert board.suggestions == [] and board.uncovered_seconds == 0


def test_timer_phases_amber_then_red(room_meeting, items, host):
    t0 = room_meeting.start
    services.start_item(room_meeting, item=items[0], actor=host, at=t0)
    assert board_of(room_meeting, now=t0 + timedelta(minutes=7)).phase == "normal"
    assert board_of(room_meeting, now=t0 + timedelta(minutes=8, seconds=30)).phase == "warning"
    late = board_of(room_meeting, now=t0 + timedelta(minutes=11))
    assert late.phase == "over" and late.current.remaining_seconds == -60
    services.set_warning(room_meeting, actor=host, seconds=300)
    assert board_of(room_meeting, now=t0 + timedelta(minutes=6)).phase == "warning"


def test_pause_does_not_count_against_the_speaker(room_meeting, items, host):
    t0 = room_meeting.start
    services.start_item(room_meeting, item=items[0], actor=host, at=t0)
    services.pause(room_meeting, actor=host, at=t0 + timedelta(minutes=5))
    paused = board_of(room_meeting, now=t0 + timedelta(minutes=9))
    assert paused.state == "paused" and paused.current.elapsed_seconds == 300
    services.resume(room_meeting, actor=host, at=t0 + timedelta(minutes=10))
    services.end_item(room_meeting, actor=host, at=t0 + timedelta(minutes=14))
    timing = ItemTiming.objects.get(item=items[0])
    assert timing.paused_seconds == 300
    assert board_of(room_meeting).items[0].elapsed_seconds == 540


def test_refusals_have_codes(room_meeting, items, host):
    with pytest.raises(DomainError) as exc:
        services.pause(room_meeting, actor=host)
    assert exc.value.code == "live_not_running"
    services.start_item(room_meeting, item=items[0], actor=host)
    services.end_item(room_meeting, actor=host)
    with pytest.raises(DomainError) as exc:
        services.start_item(room_meeting, item=items[0], actor=host)
    assert exc.value.code == "item_already_timed"
    with pytest.raises(DomainError) as exc:
        services.resume(room_meeting, actor=host)
    assert exc.value.code == "live_not_paused"
    services.end_meeting(room_meeting, actor=host)
    with pytest.raises(DomainError) as exc:
        services.next_item(room_meeting, actor=host)
    assert exc.value.code == "live_ended"


def test_a_stale_version_is_refused_and_nothing_moves(room_meeting, items, host, recorder):
    session = services.next_item(room_meeting, actor=host, expected_version=0)
    assert session.version == 1
    with pytest.raises(DomainError) as exc:
        services.next_item(room_meeting, actor=recorder, expected_version=0)
    assert exc.value.code == "live_state_changed" and exc.value.details["version"] == 1
    assert ItemTiming.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("host", True), ("recorder", True), ("organiser", True), ("member", False), ("av", False)],
)
def test_who_may_run_the_console(room_meeting, items, persona, allowed, request):
    user = request.getfixturevalue(persona)
    if allowed:
        assert services.next_item(room_meeting, actor=user).state == "running"
    else:
        with pytest.raises(DomainError) as exc:
            services.next_item(room_meeting, actor=user)
        assert exc.value.code == "forbidden"


def test_rules_for_p34_p35_and_p36(room_meeting, items, host, member, av):
    assert not rules.is_met("live.items_timed", room_meeting)
    for _ in items:
        services.next_item(room_meeting, actor=host)
    services.end_meeting(room_meeting, actor=host)
    assert rules.is_met("live.items_timed", room_meeting)
    assert rules.is_met("live.support_ready", room_meeting)  # AV staff on duty, nothing open
    ticket = services.report_problem(room_meeting, actor=member, category="sound")
    assert not rules.is_met("live.support_ready", room_meeting)
    services.resolve_ticket(ticket, actor=av)
    assert rules.is_met("live.support_ready", room_meeting)


def test_the_current_process_uses_the_rules(make_meeting):
    steps = {s.clause: s for s in make_meeting().steps.filter(clause__in=["P3.4", "P3.5", "P3.6"])}
    assert steps["P3.4"].rule == "live.items_timed" and not steps["P3.4"].required
    assert steps["P3.5"].rule == "live.items_timed" and not steps["P3.5"].required
    assert steps["P3.6"].rule == "live.support_ready" and steps["P3.6"].required


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_devices_pressing_next_at_once_advance_one_item(room_meeting, items, host, recorder):
    services.next_item(room_meeting, actor=host)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def press(user) -> None:
        try:
            start.wait()
            fresh = Meeting.objects.get(pk=room_meeting.pk)
            services.next_item(fresh, actor=user, expected_version=1)
            outcomes.append("moved")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(u,)) for u in (host, recorder)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["live_state_changed", "moved"]
    session = LiveSession.objects.get(meeting=room_meeting)
    assert session.version == 2 and session.current_item_id == items[1].pk
    assert ItemTiming.objects.filter(meeting=room_meeting).count() == 2
