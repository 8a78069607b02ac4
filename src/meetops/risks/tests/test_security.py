"""The security plan (P3.7): validation by field, approval like the emergency plan, audit, the
waiting list, the door check at the sign-in desk, incidents as risk events, the step's rule."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from meetops.core.errors import DomainError
from meetops.core.inbox import waiting_for
from meetops.core.models import AuditEntry
from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole
from meetops.notifications.models import OutboxMessage
from meetops.policy.rules import is_met
from meetops.risks.models import RiskEvent, SecurityPlan
from meetops.risks.security import services

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def meeting(make_meeting: Any) -> Any:
    """A conference starting in half an hour: its sign-in desk is open."""
    from django.utils import timezone

    start = timezone.now().replace(microsecond=0) + timedelta(minutes=30)
    return make_meeting(title="年度安全工作会议", kind="conference", location="报告厅", start=start)


@pytest.fixture
def guard(make_user: Any) -> Any:
    return make_user("guard", display_name="保安老张")


@pytest.fixture
def people(meeting: Any, organiser: Any, guard: Any) -> dict[str, Any]:
    """A guard on the staff, two guests from outside and one more."""
    add = meetings.add_participant
    return {
        "guard": add(
            meeting, actor=organiser, user=guard, role=MeetingRole.STAFF, duties="安保：东门"
        ),
        "vip": add(meeting, actor=organiser, name="李部长", organisation="教育厅"),
        "press": add(meeting, actor=organiser, name="赵记者", organisation="日报社"),
        "stranger": add(meeting, actor=organiser, name="王五", organisation="某公司"),
    }


def _post(meeting: Any, guards: list[Any], **fields: Any) -> dict[str, Any]:
    start = meeting.start - timedelta(hours=1)
    return {
        "place": "东门",
        "duty": "查验证件",
        "start": start,
        "end": meeting.end,
        "guard_ids": [g.pk for g in guards],
        **fields,
    }


def _approved(meeting: Any, organiser: Any, leader: Any, people: dict[str, Any]) -> SecurityPlan:
    services.save_security_plan(
        meeting,
        actor=organiser,
        entry_checks="安检门，核验证件",
        posts=[_post(meeting, [people["guard"]])],
        door_list=[
            {"name": "李部长", "organisation": "教育厅", "kind": "vip"},
            {"name": "赵记者", "organisation": "", "kind": "press", "badge_colour": "green"},
            {"name": "保安老张", "participant_id": people["guard"].pk},
        ],
    )
    services.submit_security_plan(meeting, actor=organiser)
    return services.decide_security_plan(meeting, actor=leader, approve=True)


def test_a_refused_plan_names_each_bad_field_and_saves_nothing(meeting, organiser, people):
    with pytest.raises(DomainError) as refused:
        services.save_security_plan(
            meeting,
            actor=organiser,
            posts=[
                _post(meeting, [people["guard"]], place=""),
                _post(meeting, [], end=meeting.start - timedelta(hours=2)),
                _post(meeting, [people["guard"]], guard_ids=[999999]),
            ],
            door_list=[
                {"name": "李部长", "organisation": "教育厅"},
                {"name": "李部长", "organisation": "教育厅", "kind": "vip"},
                {"name": "某人", "kind": "king"},
            ],
        )
    error = refused.value
    assert error.code == "invalid_security_plan"
    assert error.details["fields"] == [
        "posts[0].place",
        "posts[1].end",
        "posts[2].guard_ids",
        "door_list[1].name",
        "door_list[2].kind",
    ]
    assert "岗位 2 · 结束" in str(error.message) or "Post 2" in str(error.message)
    assert not SecurityPlan.objects.exists()


def test_submit_approve_audit_and_the_waiting_list(meeting, organiser, leader, member, people):
    plan = services.save_security_plan(
        meeting, actor=organiser, posts=[_post(meeting, [people["guard"]])]
    )
    assert plan.status == "draft"
    services.submit_security_plan(meeting, actor=organiser)
    assert OutboxMessage.objects.filter(user=leader, event="risks.security.submitted").exists()
    assert [i.kind for i in waiting_for(leader)] == ["security_plan"]
    assert waiting_for(leader)[0].url == f"/meetings/{meeting.pk}/security-plan/"
    assert waiting_for(organiser) == [] and waiting_for(member) == []
    with pytest.raises(DomainError) as changed:
        services.save_security_plan(meeting, actor=organiser, entry_checks="改")
    assert changed.value.code == "plan_state"
    with pytest.raises(DomainError) as not_leader:
        services.decide_security_plan(meeting, actor=member, approve=True)
    assert not_leader.value.code == "forbidden"
    with pytest.raises(DomainError) as silent:
        services.decide_security_plan(meeting, actor=leader, approve=False)
    assert silent.value.code == "note_required"
    services.decide_security_plan(meeting, actor=leader, approve=False, note="补充西门岗位")
    assert SecurityPlan.objects.get().decision_note == "补充西门岗位"
    told = OutboxMessage.objects.filter(user=people["guard"].user, event="risks.security.posts")
    assert not told.exists()  # a returned plan gives nobody a post
    services.submit_security_plan(meeting, actor=organiser)
    approved = services.decide_security_plan(meeting, actor=leader, approve=True)
    assert (approved.status, approved.decided_by) == ("approved", leader)
    assert told.exists()  # the guard hears their posts
    assert waiting_for(leader) == []
    actions = list(
        AuditEntry.objects.filter(
            stream=f"meeting:{meeting.pk}", action__startswith="risks.security"
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "risks.security.saved",
        "risks.security.submitted",
        "risks.security.returned",
        "risks.security.submitted",
        "risks.security.approved",
    ]
    # A change after approval needs a new approval.
    changed_plan = services.save_security_plan(meeting, actor=organiser, restricted_areas="后台")
    assert changed_plan.status == "draft"


def test_the_leader_who_submitted_does_not_decide(make_user, make_meeting, leader):
    both = make_user("both", roles=("organiser", "leader"))
    meeting = make_meeting(actor=both)
    services.save_security_plan(meeting, actor=both, posts=[_post(meeting, [])])
    services.submit_security_plan(meeting, actor=both)
    with pytest.raises(DomainError) as own:
        services.decide_security_plan(meeting, actor=both, approve=True)
    assert own.value.code == "own_submission"
    assert waiting_for(both) == [] and [i.kind for i in waiting_for(leader)] == ["security_plan"]


def test_a_plan_without_posts_is_not_submitted(meeting, organiser):
    services.save_security_plan(meeting, actor=organiser, entry_checks="安检")
    with pytest.raises(DomainError) as refused:
        services.submit_security_plan(meeting, actor=organiser)
    assert refused.value.code == "invalid_security_plan"
    assert refused.value.details["fields"] == ["posts"]


def test_p37_completes_when_approved_and_every_post_is_staffed(meeting, organiser, leader, people):
    step = meeting.steps.get(clause="P3.7")
    assert (step.completion, step.rule) == ("automatic", "risks.security_ready")
    assert not is_met("risks.security_ready", meeting)
    _approved(meeting, organiser, leader, people)
    assert is_met("risks.security_ready", meeting)
    # A second post without a guard: approved again, still not ready.
    rows = [_post(meeting, [people["guard"]]), _post(meeting, [], place="西门")]
    services.save_security_plan(meeting, actor=organiser, posts=rows)
    services.submit_security_plan(meeting, actor=organiser)
    services.decide_security_plan(meeting, actor=leader, approve=True)
    assert not is_met("risks.security_ready", meeting)
    rows[1]["guard_ids"] = [people["vip"].pk]
    services.save_security_plan(meeting, actor=organiser, posts=rows)
    assert not is_met("risks.security_ready", meeting)  # changed: back to draft
    services.submit_security_plan(meeting, actor=organiser)
    services.decide_security_plan(meeting, actor=leader, approve=True)
    assert is_met("risks.security_ready", meeting)
    meetings.remove_participant(people["vip"], actor=organiser)
    assert not is_met("risks.security_ready", meeting)


def test_the_desk_shows_the_door_list_and_flags_who_is_not_on_it(
    client, meeting, organiser, leader, people, django_assert_max_num_queries
):
    client.force_login(organiser)
    sign_in = lambda p: client.post(  # noqa: E731
        reverse("attendance:sign_in", args=[meeting.pk, p.pk]), headers=HTMX
    ).content.decode()
    search = reverse("attendance:search", args=[meeting.pk])
    before = client.get(search, {"q": "李部长"}).content.decode()
    assert "李部长" in before and "data-door" not in before  # no approved list: nothing shown
    _approved(meeting, organiser, leader, people)
    vip = sign_in(people["vip"])
    assert 'data-door="listed" data-kind="vip" data-badge="red"' in vip
    assert "在准入名单上" in vip or "On the door list" in vip
    press = sign_in(people["press"])  # by name; the entry names no organisation
    assert 'data-kind="press" data-badge="green"' in press
    stranger = sign_in(people["stranger"])
    assert 'data-door="unlisted"' in stranger
    assert meeting.signins.filter(participant=people["stranger"]).exists()  # flagged, not refused
    guard = client.get(search, {"q": "保安"}).content.decode()
    assert 'data-door="listed" data-kind="normal" data-badge="blue"' in guard
    with django_assert_max_num_queries(30) as few:
        client.get(search, {"q": "某"})
    for i in range(8):
        meetings.add_participant(meeting, actor=organiser, name=f"某人{i}", organisation="某公司")
    with django_assert_max_num_queries(len(few.captured_queries)):
        many = client.get(search, {"q": "某"}).content.decode()
    assert many.count('data-door="unlisted"') == 9


def test_a_security_ticket_becomes_one_risk_event(meeting, organiser, member, people):
    from meetops.live.services import report_problem, resolve_ticket
    from meetops.risks.overview import risk_overview

    ticket = report_problem(meeting, actor=organiser, category="security", note="可疑人员闯入")
    resolve_ticket(ticket, actor=organiser, resolution="保安劝离")
    event = services.record_incident(ticket, actor=organiser, level="high")
    assert (event.ticket_id, event.cause, event.handling, event.level) == (
        ticket.pk,
        "可疑人员闯入",
        "保安劝离",
        "high",
    )
    with pytest.raises(DomainError) as twice:
        services.record_incident(ticket, actor=organiser, level="low")
    assert twice.value.code == "ticket_already_recorded"
    assert RiskEvent.objects.count() == 1
    year = meeting.start.year
    assert risk_overview(organiser, year=year).events_by_level["high"] == 1
    sound = report_problem(meeting, actor=organiser, category="sound")
    with pytest.raises(DomainError) as not_security:
        services.record_incident(sound, actor=organiser, level="low")
    assert not_security.value.code == "not_found"
    with pytest.raises(DomainError) as refused:
        services.record_incident(ticket, actor=member, level="low")
    assert refused.value.code == "forbidden"


def test_the_leader_decides_from_the_message(meeting, organiser, leader, people):
    from types import SimpleNamespace

    from meetops.core.registry import registry

    decision = registry["message_decisions"]["risks.security_plan"]
    services.save_security_plan(meeting, actor=organiser, posts=[_post(meeting, [people["guard"]])])
    services.submit_security_plan(meeting, actor=organiser)
    ref = decision.ref(SimpleNamespace(meeting_id=meeting.pk))
    assert ref and decision.decided(ref) is None
    decision.decide(ref, actor=leader, approve=False, comment="补充西门")
    assert decision.decided(ref) == (False, str(leader))
    services.submit_security_plan(meeting, actor=organiser)
    # The second round, a minute later (the version is the submission's second).
    later = SecurityPlan.objects.get().submitted_at + timedelta(minutes=1)
    SecurityPlan.objects.update(submitted_at=later)
    with pytest.raises(DomainError) as stale:  # the card of the first round
        decision.decide(ref, actor=leader, approve=True, comment="")
    assert stale.value.code == "message_out_of_date"
    fresh = decision.ref(SimpleNamespace(meeting_id=meeting.pk))
    decision.decide(fresh, actor=leader, approve=True, comment="")
    assert SecurityPlan.objects.get().status == "approved"
