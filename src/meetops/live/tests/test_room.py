"""Support tickets, questions and materials: services, notifications in the outbox, constraints."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetops.core.errors import DomainError
from meetops.live import services
from meetops.live.models import MaterialOpening, QuestionVote
from meetops.live.selectors import questions_of, readers_of
from meetops.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_a_report_reaches_av_staff_and_organisers_in_app(room_meeting, member, av, organiser, host):
    ticket = services.report_problem(room_meeting, actor=member, category="projection", note="黑屏")
    assert ticket.room == "第一会议室" and ticket.status == "open"
    told = set(
        OutboxMessage.objects.filter(event="live.support.reported", channel="inapp").values_list(
            "user__username", flat=True
        )
    )
    assert told == {"av", "organiser"}  # the host is not on AV duty; the reporter is not told
    services.acknowledge_ticket(ticket, actor=av)
    resolved = services.resolve_ticket(ticket, actor=av, resolution="更换 HDMI 线")
    assert resolved.response_seconds is not None and resolved.resolution_seconds is not None
    updates = OutboxMessage.objects.filter(event="live.support.updated", user=member)
    assert updates.count() == 2
    with pytest.raises(DomainError) as exc:
        services.resolve_ticket(resolved, actor=av)
    assert exc.value.code == "ticket_resolved"


def test_who_may_report_and_handle(room_meeting, member, outsider, av):
    with pytest.raises(DomainError) as exc:
        services.report_problem(room_meeting, actor=outsider, category="sound")
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError) as exc:
        services.report_problem(room_meeting, actor=member, category="coffee")
    assert exc.value.code == "invalid_category"
    ticket = services.report_problem(room_meeting, actor=member, category="security")
    with pytest.raises(DomainError) as exc:
        services.acknowledge_ticket(ticket, actor=member)
    assert exc.value.code == "forbidden"
    assert services.acknowledge_ticket(ticket, actor=av).status == "acknowledged"


def test_questions_go_to_the_item_on_stage_and_take_one_vote_each(
    room_meeting, items, host, member, recorder
):
    services.next_item(room_meeting, actor=host)
    question = services.ask_question(
        room_meeting, actor=member, text="预算何时下达？", anonymous=True
    )
    assert question.item_id == items[0].pk and question.author == member
    services.vote_question(question, actor=recorder)
    with pytest.raises(DomainError) as exc:
        services.vote_question(question, actor=recorder)
    assert exc.value.code == "already_voted"
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionVote.objects.create(question=question, user=recorder)
    assert questions_of(room_meeting).get().vote_count == 1
    with pytest.raises(DomainError) as exc:
        services.mark_answered(question, actor=member)
    assert exc.value.code == "forbidden"
    assert services.mark_answered(question, actor=host).status == "answered"


def test_materials_released_now_tell_participants_and_count_openings(
    room_meeting, items, organiser, member, host
):
    release = services.release_materials(room_meeting, actor=organiser, note="请会前阅读")
    assert release.announced_at is not None
    told = set(
        OutboxMessage.objects.filter(event="live.materials.released").values_list(
            "user__username", flat=True
        )
    )
    assert {"member", "host"} <= told
    services.record_opening(items[0], actor=member)
    services.record_opening(items[0], actor=member)
    assert MaterialOpening.objects.get(user=member).count == 2


def test_a_release_in_the_future_is_announced_by_the_job_once(room_meeting, organiser):
    later = timezone.now() + timedelta(hours=1)
    release = services.release_materials(room_meeting, actor=organiser, release_at=later)
    assert release.announced_at is None
    assert services.announce_due_releases() == 0
    type(release).objects.filter(pk=release.pk).update(release_at=timezone.now())
    assert services.announce_due_releases() == 1
    assert services.announce_due_releases() == 0
    assert OutboxMessage.objects.filter(event="live.materials.released").exists()


def test_readers_list_who_has_not_opened(room_meeting, items, member, organiser, tmp_path):
    from django.core.files.base import ContentFile

    items[0].materials.save("plan.pdf", ContentFile(b"%PDF-1.4"), save=True)
    services.record_opening(items[0], actor=member)
    readers = {r.name: r for r in readers_of(room_meeting)}
    assert readers[str(member)].all_opened
    assert not readers["host"].all_opened


def test_guests_and_substitutes_are_on_the_materials_list(room_meeting, organiser, items):
    """Issue 16 finding 3: everyone still on the meeting is listed, not only account holders."""
    from meetops.meetings import services as meetings
    from meetops.meetings.models import Participant

    guest = meetings.add_participant(room_meeting, actor=organiser, name="外部嘉宾")
    deputy = meetings.add_participant(room_meeting, actor=organiser, name="代理人")
    Participant.objects.filter(pk=deputy.pk).update(substitute_for=guest)
    readers = {r.name: r for r in readers_of(room_meeting)}
    assert readers["外部嘉宾"].user_id is None and not readers["外部嘉宾"].all_opened
    assert readers["代理人"].substitute_for == "外部嘉宾"
    Participant.objects.filter(pk=guest.pk).update(status="substituted")
    assert "外部嘉宾" not in {r.name for r in readers_of(room_meeting)}
