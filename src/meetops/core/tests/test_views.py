"""The audit log page and the page frame."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetops.meetings.services import transition_meeting

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


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
