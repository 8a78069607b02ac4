"""My settings: time zone (times shown in it), personal API tokens created and revoked."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from meetops.core.models import AuditEntry
from meetops.people.models import ApiToken
from meetops.people.services import user_for_token

pytestmark = pytest.mark.django_db


def test_time_zone_changes_the_times_shown(client, organiser, make_meeting):
    start = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    meeting = make_meeting(title="跨时区会议", start=start)
    client.force_login(organiser)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "09:00" in page
    response = client.post(reverse("my_settings"), {"time_zone": "Europe/London"})
    assert response.status_code == 302
    organiser.refresh_from_db()
    assert organiser.time_zone == "Europe/London"
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "01:00" in page  # 09:00 in Shanghai is 01:00 in London in December
    assert AuditEntry.objects.filter(action="people.user.time_zone_changed").exists()


def test_unknown_time_zone_is_refused_with_a_message(client, member):
    client.force_login(member)
    response = client.post(reverse("my_settings"), {"time_zone": "Mars/Olympus"}, follow=True)
    member.refresh_from_db()
    assert member.time_zone == ""
    assert "未知的时区" in response.content.decode()


def test_create_and_revoke_a_token_from_the_page(client, member):
    client.force_login(member)
    page = client.post(
        reverse("my_settings"), {"new_token": "1", "name": "报表工具"}
    ).content.decode()
    token = ApiToken.objects.get(user=member)
    raw = page.split('<code class="token">')[1].split("</code>")[0]
    assert user_for_token(raw) == member and token.name == "报表工具"
    client.post(reverse("my_settings"), {"revoke": str(token.pk)})
    assert user_for_token(raw) is None


def test_one_cannot_revoke_someone_elses_token(client, member, outsider):
    from meetops.people.services import create_api_token

    token, raw = create_api_token(outsider, actor=outsider)
    client.force_login(member)
    assert client.post(reverse("my_settings"), {"revoke": str(token.pk)}).status_code == 404
    assert user_for_token(raw) == outsider
    assert client.post(reverse("my_settings"), {"revoke": "x"}).status_code == 302


def test_settings_page_needs_login(client):
    assert client.get(reverse("my_settings")).status_code == 302
