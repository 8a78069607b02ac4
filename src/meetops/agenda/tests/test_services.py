"""Agenda services: times that flow, all-or-nothing replace, reorder, warnings, who may write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from meetops.agenda import services
from meetops.agenda.models import AgendaItem
from meetops.agenda.selectors import agenda_of
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.core.models import AuditEntry
from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole, Stage
from meetops.people.services import create_contact

pytestmark = pytest.mark.django_db


def _hm(value):
    return timezone.localtime(value).strftime("%H:%M")


def _times(agenda):
    return [(s.item.title, _hm(s.start), _hm(s.end)) for s in agenda.slots]


def test_replace_agenda_flows_items_from_the_meeting_start(meeting, organiser, rows):
    agenda = services.replace_agenda(meeting, items=rows(30, 45, 15), actor=organiser)
    assert _times(agenda) == [
        ("议题1", "09:00", "09:30"),
        ("议题2", "09:30", "10:15"),
        ("议题3", "10:15", "10:30"),
    ]
    assert agenda.warnings == []
    assert list(
        AgendaItem.objects.filter(meeting=meeting).values_list("title", "order", "start")
    ) == [
        ("议题1", 1, None),
        ("议题2", 2, None),
        ("议题3", 3, None),
    ]
    entry = AuditEntry.objects.filter(action="agenda.agenda.replaced").get()
    assert entry.object_id == str(meeting.pk) and entry.data["created"] == 3


def test_replace_is_all_or_nothing_and_names_each_bad_row(meeting, organiser, rows):
    services.replace_agenda(meeting, items=rows(30), actor=organiser)
    bad = [
        {"title": "", "duration_minutes": 10},
        {"title": "好的", "duration_minutes": 10},
        {"title": "太长", "duration_minutes": 0, "presenter_user_id": 999999},
    ]
    with pytest.raises(ValidationFailed) as exc:
        services.replace_agenda(meeting, items=bad, actor=organiser)
    assert exc.value.code == "invalid_agenda"
    problems = [(r["index"], r["field"], r["code"]) for r in exc.value.details["rows"]]
    assert problems == [
        (0, "title", "title_required"),
        (2, "duration_minutes", "invalid_duration"),
        (2, "presenter_user_id", "unknown_user"),
    ]
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True)) == [
        "议题1"
    ]


def test_replace_keeps_items_named_by_id_and_deletes_the_rest(meeting, organiser, rows):
    first = services.replace_agenda(meeting, items=rows(30, 30), actor=organiser)
    keep = first.items[1]
    again = services.replace_agenda(
        meeting,
        items=[
            {"id": keep.pk, "title": "改名", "duration_minutes": 20},
            {"title": "新", "duration_minutes": 5},
        ],
        actor=organiser,
    )
    assert again.items[0].pk == keep.pk
    assert _times(again) == [("改名", "09:00", "09:20"), ("新", "09:20", "09:25")]
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2
    with pytest.raises(ValidationFailed) as exc:
        services.replace_agenda(
            meeting,
            items=[{"id": first.items[0].pk, "title": "x", "duration_minutes": 5}],
            actor=organiser,
        )
    assert exc.value.details["rows"][0]["code"] == "unknown_item"


def test_a_start_where_the_item_would_flow_anyway_is_not_pinned(meeting, organiser, nine_am):
    items = [
        {"title": "开场", "duration_minutes": 10, "start": nine_am},
        {"title": "报告", "duration_minutes": 30, "start": nine_am + timedelta(minutes=10)},
        {"title": "午前讨论", "duration_minutes": 20, "start": nine_am + timedelta(minutes=60)},
    ]
    agenda = services.replace_agenda(meeting, items=items, actor=organiser)
    assert [s.fixed for s in agenda.slots] == [False, False, True]
    assert _times(agenda)[2] == ("午前讨论", "10:00", "10:20")


def test_reorder_recomputes_flowing_times_and_keeps_pinned_ones(meeting, organiser, rows, nine_am):
    items = [
        *rows(30, 15),
        {"title": "领导讲话", "duration_minutes": 20, "start": nine_am + timedelta(hours=1)},
    ]
    agenda = services.replace_agenda(meeting, items=items, actor=organiser)
    a, b, speech = agenda.items
    reordered = services.reorder_agenda(
        meeting, ordered_ids=[b.pk, a.pk, speech.pk], actor=organiser
    )
    assert _times(reordered) == [
        ("议题2", "09:00", "09:15"),
        ("议题1", "09:15", "09:45"),
        ("领导讲话", "10:00", "10:20"),
    ]
    assert AuditEntry.objects.filter(action="agenda.agenda.reordered").count() == 1
    with pytest.raises(DomainError) as exc:
        services.reorder_agenda(meeting, ordered_ids=[a.pk, b.pk], actor=organiser)
    assert exc.value.code == "agenda_changed" and sorted(
        exc.value.details["current_ids"]
    ) == sorted([a.pk, b.pk, speech.pk])


def test_move_item_up_and_down(meeting, organiser, rows):
    a, b, c = services.replace_agenda(meeting, items=rows(10, 20, 30), actor=organiser).items
    moved = services.move_item(c, offset=-1, actor=organiser)
    assert [i.pk for i in moved.items] == [a.pk, c.pk, b.pk]
    assert [i.pk for i in services.move_item(a, offset=-1, actor=organiser).items] == [
        a.pk,
        c.pk,
        b.pk,
    ]


def test_overrunning_the_end_warns_but_is_saved(meeting, organiser, rows):
    agenda = services.replace_agenda(meeting, items=rows(60, 45, 30), actor=organiser)
    assert [w.code for w in agenda.warnings] == ["agenda_overruns"]
    warning = agenda.warnings[0]
    assert warning.details["minutes_over"] == 15
    assert warning.details["item_ids"] == [agenda.items[2].pk]
    assert AgendaItem.objects.filter(meeting=meeting).count() == 3


def test_overlap_warns_only_when_the_items_share_a_room(meeting, organiser, nine_am):
    items = [
        {"title": "分会场A", "duration_minutes": 60, "room": "A厅"},
        {"title": "分会场B", "duration_minutes": 60, "room": "B厅", "start": nine_am},
        {
            "title": "又在B厅",
            "duration_minutes": 10,
            "room": "B厅",
            "start": nine_am + timedelta(minutes=30),
        },
    ]
    agenda = services.replace_agenda(meeting, items=items, actor=organiser)
    assert [(w.code, w.details["item_id"]) for w in agenda.warnings] == [
        ("agenda_overlap", agenda.items[2].pk)
    ]


def test_add_update_and_delete_an_item(meeting, organiser, make_user, nine_am):
    speaker = make_user("speaker", display_name="张教授")
    guest = create_contact(name="李工", organisation="设计院", actor=organiser)
    first = services.add_item(
        meeting, actor=organiser, title="开场", duration_minutes=10, presenter="主持人"
    )
    second = services.add_item(
        meeting, actor=organiser, title="报告", duration_minutes=40, presenter_user_id=speaker.pk
    )
    assert (first.order, second.order) == (1, 2) and second.presenter == "张教授"
    updated = services.update_item(
        second,
        actor=organiser,
        presenter_contact_id=guest.pk,
        start=nine_am + timedelta(minutes=30),
    )
    assert updated.presenter_user_id is None and updated.presenter == "李工 (设计院)"
    assert updated.start == nine_am + timedelta(minutes=30)
    flowing = services.update_item(updated, actor=organiser, start=None)
    assert flowing.start is None
    assert _times(agenda_of(meeting))[1] == ("报告", "09:10", "09:50")
    entry = AuditEntry.objects.filter(action="agenda.item.updated").order_by("seq").first()
    assert "presenter_contact" in entry.changes
    agenda = services.delete_item(first, actor=organiser)
    assert _times(agenda) == [("报告", "09:00", "09:40")]
    with pytest.raises(ValidationFailed) as exc:
        services.update_item(
            flowing, actor=organiser, presenter_user_id=speaker.pk, presenter_contact_id=guest.pk
        )
    assert exc.value.details["rows"][0]["code"] == "presenter_ambiguous"


def test_only_managers_write_and_never_to_a_cancelled_meeting(meeting, organiser, member, rows):
    with pytest.raises(PermissionDenied):
        services.replace_agenda(meeting, items=rows(10), actor=member)
    with pytest.raises(PermissionDenied):
        services.add_item(meeting, actor=member, title="x", duration_minutes=5)
    meetings.transition_meeting(meeting, to=Stage.CANCELLED, actor=organiser)
    with pytest.raises(DomainError) as exc:
        services.replace_agenda(meeting, items=rows(10), actor=organiser)
    assert exc.value.code == "meeting_frozen"


def test_p28_completes_from_an_agenda_that_fits(meeting, organiser, rows):
    from meetops.policy import services as process
    from meetops.policy.models import StepDefinition, StepStatus

    definition = StepDefinition.objects.get(template__is_current=True, clause="P2.8")
    assert (definition.completion, definition.rule) == ("automatic", "agenda.has_agenda")
    step = meeting.steps.get(clause="P2.8")
    assert process.effective_status(step) == StepStatus.OPEN
    services.replace_agenda(meeting, items=rows(60, 90), actor=organiser)
    step.refresh_from_db()
    assert process.effective_status(step) == StepStatus.OPEN  # overruns by 30 minutes
    services.replace_agenda(meeting, items=rows(60, 60), actor=organiser)
    step.refresh_from_db()
    assert process.effective_status(step) == StepStatus.DONE


def test_a_host_already_on_an_overlapping_meeting_is_a_conflict(
    meeting, organiser, make_user, make_meeting, nine_am, member
):
    host = make_user("host", display_name="王主任")
    meetings.add_participant(meeting, actor=organiser, user=host, role=MeetingRole.HOST)
    optional = make_user("optional")
    meetings.add_participant(meeting, actor=organiser, user=optional, attendance="optional")
    secret = make_meeting(
        title="人事保密会", start=nine_am + timedelta(hours=1), confidentiality="confidential"
    )
    meetings.add_participant(secret, actor=organiser, user=host)
    meetings.add_participant(secret, actor=organiser, user=optional)
    cancelled = make_meeting(title="取消的会", start=nine_am)
    meetings.add_participant(cancelled, actor=organiser, user=host)
    meetings.transition_meeting(cancelled, to=Stage.CANCELLED, actor=organiser)
    make_meeting(title="下午的会", start=nine_am + timedelta(hours=3))  # no overlap

    from meetops.agenda.conflicts import person_conflicts

    seen_by_organiser = person_conflicts(meeting, viewer=organiser)
    assert [(c.name, c.role, c.other_meeting_id, c.other_title) for c in seen_by_organiser] == [
        ("王主任", "host", secret.pk, "人事保密会"),
    ]
    with translation.override("zh-hans"):
        seen_by_member = person_conflicts(meeting, viewer=member)
    assert [(c.other_meeting_id, c.other_title) for c in seen_by_member] == [(None, "另一会议")]


def test_demo_agenda_fits_the_meeting_and_names_its_host(meeting, organiser, make_user):
    from types import SimpleNamespace

    from meetops.agenda.demo import load_demo

    host = make_user("host", display_name="王主任")
    meetings.add_participant(meeting, actor=organiser, user=host, role=MeetingRole.HOST)
    ctx = SimpleNamespace(meetings={"q": meeting}, note=lambda line: None)
    load_demo(ctx)
    agenda = agenda_of(meeting)
    assert len(agenda.slots) == 5 and agenda.warnings == []
    assert agenda.end == meeting.end
    assert agenda.items[0].presenter_user_id == host.pk
    load_demo(ctx)  # a second run adds nothing
    assert AgendaItem.objects.filter(meeting=meeting).count() == 5
