"""Dashboard and audit log pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetops.meetings.models import MeetingRole
from meetops.meetings.services import add_participant, transition_meeting

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _ready_for_preparing(meeting, organiser):
    transition_meeting(meeting, to="preparing", actor=organiser, override_reason="测试")


def test_dashboard_shows_my_meetings_tasks_and_what_needs_me(
    client, organiser, member, make_meeting
):
    meeting = make_meeting(title="筹备中的会议")
    add_participant(meeting, actor=organiser, user=member, role=MeetingRole.STAFF)
    _ready_for_preparing(meeting, organiser)
    # P2.4 (owned by staff) completes from the supplies checklist by default; as a sign-off
    # step it is the staff member's task here.
    meeting.steps.filter(clause="P2.4").update(completion="sign_off", rule="")
    make_meeting(title="别人看不到的会", confidentiality="confidential")

    client.force_login(organiser)
    page = client.get(reverse("dashboard")).content.decode()
    # P2.9 and P2.10 complete from evidence now (risks app): the tasks are the sign-off steps.
    assert "筹备中的会议" in page and "P2.7" in page and "P2.4" in page  # manager: every open step

    client.force_login(member)
    page = client.get(reverse("dashboard")).content.decode()
    assert "筹备中的会议" in page
    assert "P2.4" in page  # owner role staff: theirs
    assert "P2.7" not in page  # the organiser's step
    assert "别人看不到的会" not in page


def test_what_needs_me_lists_blocked_meetings_I_manage(client, organiser, make_meeting):
    meeting = make_meeting(title="卡住的会议")
    _ready_for_preparing(meeting, organiser)
    # "Ready" still has required sign-off steps (P3.3 materials, P3.6 technical support).
    transition_meeting(meeting, to="ready", actor=organiser, override_reason="测试")
    client.force_login(organiser)
    response = client.get(reverse("dashboard"))
    blocked = response.context["blocked"]
    assert [m.title for m in blocked] == ["卡住的会议"]
    assert (
        blocked[0].open_required
        == meeting.steps.filter(stage="ready", required=True, status="open").count()
    )


def test_blocked_counts_automatic_steps_until_the_worker_finds_their_evidence(
    client, organiser, member, make_meeting
):
    from meetops.meetings.models import MeetingRole
    from meetops.policy.jobs import sync_automatic_steps

    meeting = make_meeting(title="缺主持人的会议")
    _ready_for_preparing(meeting, organiser)
    p25 = meeting.steps.get(clause="P2.5")
    assert p25.completion == "automatic" and p25.status == "open"
    client.force_login(organiser)

    def open_required() -> int:
        blocked = client.get(reverse("dashboard")).context["blocked"]
        return next(m.open_required for m in blocked if m.pk == meeting.pk)

    sync_automatic_steps()  # whatever else the data already shows
    p25.refresh_from_db()
    assert p25.status == "open"  # no host yet
    blocked_before = open_required()

    add_participant(meeting, actor=organiser, user=member, role=MeetingRole.HOST)
    assert open_required() == blocked_before  # stored status: until the worker looks
    assert sync_automatic_steps() == 1
    p25.refresh_from_db()
    assert p25.status == "done" and p25.completed_by is None  # from evidence, not a person
    assert open_required() == blocked_before - 1
    assert sync_automatic_steps() == 0  # judged once


def test_dashboard_query_count_does_not_grow(
    client, organiser, make_meeting, django_assert_max_num_queries
):
    client.force_login(organiser)
    _ready_for_preparing(make_meeting(title="一"), organiser)
    with django_assert_max_num_queries(15) as baseline:
        client.get(reverse("dashboard"))
    for i in range(6):
        _ready_for_preparing(
            make_meeting(title=f"会{i}", start=timezone.now() + timedelta(days=i + 1)), organiser
        )
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse("dashboard"))


def test_audit_page_filters_by_object_and_shows_changes(client, organiser, make_meeting):
    meeting = make_meeting(title="审计会议")
    other = make_meeting(title="另一个会议")
    transition_meeting(meeting, to="cancelled", actor=organiser)
    client.force_login(organiser)
    body = client.get(
        reverse("audit_log"), {"object_type": "meeting", "object_id": meeting.pk}
    ).content.decode()
    assert "meetings.meeting.stage_changed" in body
    # Stage codes read as the stage's name (the code stays in the row's data-action title).
    assert '<span class="before">草稿</span> → <span class="after">已取消</span>' in body
    assert f'href="{reverse("meeting_detail", args=[other.pk])}"' not in body
    fragment = client.get(reverse("audit_log"), {"actor": "nobody"}, headers=HTMX).content.decode()
    assert "<html" not in fragment and "meetings.meeting" not in fragment


def test_audit_page_shows_data_whose_keys_shadow_dict_methods(client, organiser, make_meeting):
    """Audit data such as the agenda's {"items": 3} once made the audit page fail with a 500."""
    from meetops.core import audit

    meeting = make_meeting(title="议程会议")
    audit.record("agenda.agenda.replaced", meeting, actor=organiser, data={"items": 3, "keys": 1})
    client.force_login(organiser)
    response = client.get(reverse("audit_log"))
    assert response.status_code == 200
    assert '<span class="muted" title="items">条目数</span>: 3' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "stages", "keys"),
    [
        ("en", ("Draft", "Cancelled"), ("Reason", "Override reason", "Role", "Observer")),
        ("zh-hans", ("草稿", "已取消"), ("原因", "越过原因", "角色", "列席")),
        ("zh-hant", ("草稿", "已取消"), ("原因", "越過原因", "角色", "列席")),
    ],
)
def test_audit_page_translates_data_keys_and_stage_codes(
    client, organiser, make_meeting, language, stages, keys
):
    from meetops.core import audit

    meeting = make_meeting(title="审计翻译")
    transition_meeting(meeting, to="cancelled", actor=organiser, reason="改期")
    audit.record(
        "meetings.meeting.stage_overridden",
        meeting,
        actor=organiser,
        data={"override_reason": "领导批准", "role": "observer", "stage": "preparing"},
    )
    client.force_login(organiser)
    body = client.get(reverse("audit_log"), headers={"Accept-Language": language}).content.decode()
    before, after = stages
    assert f'<span class="before">{before}</span> → <span class="after">{after}</span>' in body
    for label in keys:
        assert label in body
    for raw in ('title="reason">reason<', ">override_reason<", ">observer<", ">preparing<"):
        assert raw not in body


def test_audit_page_hides_entries_of_meetings_I_cannot_see(client, outsider, make_meeting):
    make_meeting(title="机密会议", confidentiality="confidential")
    client.force_login(outsider)
    assert "机密会议" not in client.get(reverse("audit_log")).content.decode()


def test_audit_page_time_range_and_pagination(
    client, admin_user, make_meeting, django_assert_max_num_queries
):
    for i in range(55):
        make_meeting(title=f"批量{i}")
    client.force_login(admin_user)
    with django_assert_max_num_queries(10):
        first = client.get(reverse("audit_log")).content.decode()
    assert first.count("<tr data-action") == 50 and 'rel="next"' in first
    today = timezone.localdate()
    future = client.get(
        reverse("audit_log"), {"since": (today + timedelta(days=1)).isoformat()}
    ).content.decode()
    assert "<tr data-action" not in future
    body = client.get(
        reverse("audit_log"), {"since": today.isoformat(), "until": today.isoformat()}
    ).content.decode()
    assert "<tr data-action" in body


def test_narrow_screen_markup(client, organiser, make_meeting):
    """375-px sanity without a browser: viewport meta, collapsible menu, tables that stack into cards."""
    make_meeting(title="手机会议")
    client.force_login(organiser)
    body = client.get(reverse("meeting_list")).content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body
    assert 'id="menu-toggle"' in body and 'for="menu-toggle"' in body
    assert 'class="table stack"' in body and 'data-label="' in body
