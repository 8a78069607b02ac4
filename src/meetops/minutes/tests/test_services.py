"""The minutes' state machine, who may do what, and the revisions kept."""

from __future__ import annotations

import pytest

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.minutes import services
from meetops.minutes.decisions import REVIEW
from meetops.minutes.models import Decision, Minutes, MinutesRevision, MinutesState
from meetops.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _code(exc_info) -> str:
    return exc_info.value.code


def test_recorder_writes_minutes_per_agenda_item_with_decisions_and_votes(
    written, recorder, agenda_ids
):
    assert written.state == MinutesState.DRAFT
    assert written.revision == 1
    sections = list(written.sections.order_by("order"))
    assert [s.agenda_item_id for s in sections] == agenda_ids
    decision = Decision.objects.get(section__minutes=written)
    assert (decision.text, decision.votes_for, decision.votes_against, decision.votes_abstain) == (
        "同意增加差旅预算十万元",
        7,
        1,
        0,
    )
    revision = MinutesRevision.objects.get(minutes=written)
    assert (revision.number, revision.action, revision.created_by) == (1, "saved", recorder)
    assert revision.snapshot["sections"][1]["decisions"][0]["votes_for"] == 7
    entry = AuditEntry.objects.get(action="minutes.minutes.saved")
    assert entry.actor == recorder and entry.data["decisions"] == 1


def test_every_save_keeps_a_revision_with_who_and_what(written, host):
    services.save_minutes(
        written.meeting,
        actor=host,
        sections=[{"title": "议题", "notes": "新"}],
        summary="主持人总结",
        revision=1,
    )
    revisions = list(MinutesRevision.objects.filter(minutes=written).order_by("number"))
    assert [(r.number, r.created_by.username) for r in revisions] == [(1, "recorder"), (2, "host")]
    assert revisions[1].changes["summary"] == ["会议圆满完成各项议程", "主持人总结"]
    assert revisions[0].snapshot["summary"] == "会议圆满完成各项议程"  # the old text stays readable


def test_a_stale_revision_is_refused_so_nobody_overwrites_another(written, host):
    with pytest.raises(DomainError) as exc:
        services.save_minutes(written.meeting, actor=host, sections=[], revision=0)
    assert _code(exc) == "minutes_changed"
    assert exc.value.details["current_revision"] == 1


def test_invalid_rows_are_all_reported(meeting, recorder):
    with pytest.raises(DomainError) as exc:
        services.save_minutes(
            meeting,
            actor=recorder,
            sections=[
                {
                    "title": "",
                    "decisions": [
                        {"text": "", "votes_for": 3},
                        {"text": "好", "votes_against": -1},
                    ],
                }
            ],
        )
    assert _code(exc) == "invalid_minutes"
    codes = {r["code"] for r in exc.value.details["rows"]}
    assert codes == {"title_required", "decision_text_required", "invalid_votes"}
    assert not Minutes.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize("persona", ["organiser", "recorder", "host", "admin_user"])
def test_organiser_recorder_host_and_admin_may_write(request, meeting, persona):
    actor = request.getfixturevalue(persona)
    minutes = services.save_minutes(
        meeting, actor=actor, sections=[{"title": "议题", "notes": "记录"}]
    )
    assert minutes.revision == 1


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_members_and_outsiders_may_not_write(request, meeting, persona):
    with pytest.raises(DomainError) as exc:
        services.save_minutes(
            meeting, actor=request.getfixturevalue(persona), sections=[{"title": "x"}]
        )
    assert _code(exc) == "forbidden"


def test_full_cycle_submit_approve_publish(written, recorder, host, member):
    submitted = services.submit_minutes(written, actor=recorder)
    assert submitted.state == MinutesState.SUBMITTED
    # The host is asked to review, in-app.
    assert OutboxMessage.objects.filter(event="approval.waiting", user=host).exists()
    approved = services.approve_minutes(submitted, actor=host)
    assert (approved.state, approved.approved_by) == (MinutesState.APPROVED, host)
    published = services.publish_minutes(approved, actor=host)
    assert published.state == MinutesState.PUBLISHED and published.published_at
    actions = list(
        MinutesRevision.objects.filter(minutes=written)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["saved", "submitted", "approved", "published"]


def test_only_the_host_approves_when_there_is_one(written, recorder, organiser):
    services.submit_minutes(written, actor=recorder)
    for actor in (recorder, organiser):
        with pytest.raises(DomainError) as exc:
            services.approve_minutes(written, actor=actor)
        assert _code(exc) == "forbidden"


def test_without_a_host_the_organiser_reviews(make_meeting, organiser, recorder):
    from meetops.meetings.services import add_participant

    meeting = make_meeting()
    add_participant(meeting, actor=organiser, user=recorder, role="recorder")
    minutes = services.save_minutes(
        meeting, actor=recorder, sections=[{"title": "议题", "notes": "x"}]
    )
    services.submit_minutes(minutes, actor=recorder)
    assert services.approve_minutes(minutes, actor=organiser).state == MinutesState.APPROVED


def test_the_host_returns_with_a_comment_and_the_writer_is_told(written, recorder, host):
    services.submit_minutes(written, actor=recorder)
    with pytest.raises(DomainError) as exc:
        services.return_minutes(written, actor=host, comment=" ")
    assert _code(exc) == "comment_required"
    returned = services.return_minutes(written, actor=host, comment="请补充表决情况")
    assert (returned.state, returned.return_comment) == (MinutesState.DRAFT, "请补充表决情况")
    assert OutboxMessage.objects.filter(event="minutes.returned", user=recorder).exists()
    # Back in draft, the recorder writes again.
    services.save_minutes(
        written.meeting, actor=recorder, sections=[{"title": "议题", "notes": "补充"}]
    )


def test_under_review_only_the_reviewer_edits(written, recorder, host):
    services.submit_minutes(written, actor=recorder)
    with pytest.raises(DomainError) as exc:
        services.save_minutes(written.meeting, actor=recorder, sections=[{"title": "改"}])
    assert _code(exc) == "minutes_under_review"
    services.save_minutes(written.meeting, actor=host, sections=[{"title": "改"}], summary="总结")


def test_approved_minutes_are_locked_until_reopened_with_a_reason(written, recorder, host):
    services.submit_minutes(written, actor=recorder)
    services.approve_minutes(written, actor=host)
    with pytest.raises(DomainError) as exc:
        services.save_minutes(written.meeting, actor=host, sections=[])
    assert _code(exc) == "minutes_locked"
    with pytest.raises(DomainError) as exc:
        services.reopen_minutes(written, actor=host, reason="")
    assert _code(exc) == "reason_required"
    with pytest.raises(DomainError) as exc:
        services.reopen_minutes(written, actor=recorder, reason="更正")
    assert _code(exc) == "forbidden"
    reopened = services.reopen_minutes(written, actor=host, reason="更正一处数字")
    assert (reopened.state, reopened.revision, reopened.approved_by) == (
        MinutesState.DRAFT,
        2,
        None,
    )
    last = MinutesRevision.objects.filter(minutes=written).latest("id")
    assert (last.action, last.reason) == ("reopened", "更正一处数字")
    entry = AuditEntry.objects.filter(action="minutes.minutes.reopened").get()
    assert entry.data["reason"] == "更正一处数字"


def test_moves_out_of_order_are_refused(written, recorder, host):
    with pytest.raises(DomainError) as exc:
        services.approve_minutes(written, actor=host)
    assert _code(exc) == "minutes_wrong_state"
    with pytest.raises(DomainError) as exc:
        services.publish_minutes(written, actor=host)
    assert _code(exc) == "minutes_wrong_state"


def test_empty_minutes_cannot_be_submitted(meeting, recorder):
    minutes = services.save_minutes(meeting, actor=recorder, sections=[{"title": "议题"}])
    with pytest.raises(DomainError) as exc:
        services.submit_minutes(minutes, actor=recorder)
    assert _code(exc) == "minutes_empty"


def test_completion_rules_follow_the_minutes(written, recorder, host):
    from meetops.policy.rules import is_met

    meeting = written.meeting
    assert is_met("minutes.summary_recorded", meeting)
    assert not is_met("minutes.submitted", meeting)
    assert not is_met("minutes.approved", meeting)
    services.submit_minutes(written, actor=recorder)
    assert is_met("minutes.submitted", meeting)
    assert not is_met("minutes.approved", meeting)
    services.approve_minutes(written, actor=host)
    assert is_met("minutes.approved", meeting)


def test_the_current_process_uses_the_rules_for_p39_and_p310(meeting):
    steps = {
        s.clause: (s.completion, s.rule) for s in meeting.steps.filter(clause__in=["P3.9", "P3.10"])
    }
    assert steps == {
        "P3.9": ("automatic", "minutes.submitted"),
        "P3.10": ("automatic", "minutes.summary_recorded"),
    }


def test_the_host_who_submitted_cannot_decide_and_the_organiser_reviews(
    written, host, organiser, recorder
):
    services.submit_minutes(written, actor=host)
    assert OutboxMessage.objects.filter(event="approval.waiting", user=organiser).exists()
    assert not OutboxMessage.objects.filter(event="approval.waiting", user=host).exists()
    for decide in (
        lambda: services.approve_minutes(written, actor=host),
        lambda: services.return_minutes(written, actor=host, comment="改一下"),
    ):
        with pytest.raises(DomainError) as exc:
            decide()
        assert _code(exc) == "own_submission"
    assert Minutes.objects.get(pk=written.pk).state == MinutesState.SUBMITTED
    assert not REVIEW.pending_for(host)
    assert list(REVIEW.pending_for(organiser)) == [written]
    with pytest.raises(DomainError):
        services.approve_minutes(written, actor=recorder)
    approved = services.approve_minutes(written, actor=organiser)
    assert (approved.state, approved.approved_by) == (MinutesState.APPROVED, organiser)
    assert not REVIEW.pending_for(organiser)


def test_minutes_of_a_meeting_still_running_need_the_approvers_word_naming_unheld_items(
    written, recorder, host, meeting, agenda_ids, client
):
    """Issue 16, finding 6: approved and published while three items were not yet held."""
    from django.utils import timezone

    from meetops.live.models import ItemTiming
    from meetops.meetings.models import Meeting

    Meeting.objects.filter(pk=meeting.pk).update(stage="in_progress")
    meeting.refresh_from_db()
    written.meeting = meeting
    now = timezone.now()
    ItemTiming.objects.create(
        meeting=meeting, item_id=agenda_ids[0], planned_minutes=30, started_at=now, ended_at=now
    )
    submitted = services.submit_minutes(written, actor=recorder)
    with pytest.raises(DomainError) as exc:
        services.approve_minutes(submitted, actor=host)
    assert _code(exc) == "agenda_not_held"
    assert [i["title"] for i in exc.value.details["items"]] == ["预算讨论"]
    assert "预算讨论" in str(exc.value.message)
    assert Minutes.objects.get(pk=written.pk).state == MinutesState.SUBMITTED

    client.force_login(host)
    page = client.get(f"/meetings/{meeting.pk}/minutes/").content.decode()
    warning = page.split('id="unheld-warning"')[1].split("</div>")[0]
    assert "预算讨论" in warning and "上季度总结" not in warning  # only the item not held
    assert 'name="confirm_unheld"' in page

    approved = services.approve_minutes(submitted, actor=host, confirm_unheld=True)
    assert approved.state == MinutesState.APPROVED
    with pytest.raises(DomainError) as exc:
        services.publish_minutes(approved, actor=host)
    assert _code(exc) == "agenda_not_held"
    ItemTiming.objects.create(
        meeting=meeting, item_id=agenda_ids[1], planned_minutes=45, started_at=now, ended_at=now
    )
    assert services.publish_minutes(approved, actor=host).state == MinutesState.PUBLISHED
