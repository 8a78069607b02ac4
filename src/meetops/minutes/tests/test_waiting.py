""" "Waiting for me" and the minutes page ask the review flow who decides: never the submitter."""

from __future__ import annotations

import pytest

from meetops.core.inbox import waiting_for
from meetops.minutes import services

pytestmark = pytest.mark.django_db


def test_minutes_the_host_submitted_wait_for_the_organiser_not_the_host(
    written, meeting, host, organiser, recorder, member
):
    services.submit_minutes(written, actor=host)
    assert waiting_for(host) == []
    assert [(i.kind, i.meeting, i.url) for i in waiting_for(organiser)] == [
        ("minutes", meeting, f"/meetings/{meeting.pk}/minutes/")
    ]
    assert waiting_for(recorder) == [] and waiting_for(member) == []


def test_minutes_the_recorder_submitted_wait_for_the_host_only(
    written, meeting, host, organiser, recorder
):
    services.submit_minutes(written, actor=recorder)
    assert [i.kind for i in waiting_for(host)] == ["minutes"]
    assert waiting_for(organiser) == [] and waiting_for(recorder) == []


def test_the_minutes_page_shows_the_review_buttons_only_to_who_may_decide(
    client, written, meeting, host, organiser
):
    services.submit_minutes(written, actor=host)
    url = f"/meetings/{meeting.pk}/minutes/"
    client.force_login(host)
    assert 'name="approve-minutes"' not in client.get(url).content.decode()
    client.force_login(organiser)
    assert 'name="approve-minutes"' in client.get(url).content.decode()
    response = client.post(f"/meetings/{meeting.pk}/minutes/approve/", follow=True)
    written.refresh_from_db()
    assert (written.state, written.approved_by) == ("approved", organiser)
    assert response.status_code == 200


def test_the_api_says_who_may_review_as_the_page_does(api_as, written, meeting, host, organiser):
    services.submit_minutes(written, actor=host)
    url = f"/api/v1/meetings/{meeting.pk}/minutes"
    assert api_as(host).get(url).json()["permissions"]["can_review"] is False
    assert api_as(organiser).get(url).json()["permissions"]["can_review"] is True
