"""Issue 14 finding 1: a date outside the sane window is refused, and a stored one breaks no page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from meetops.meetings.models import Meeting

pytestmark = pytest.mark.django_db

END = "2026-12-01T11:00:00+08:00"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("9999-12-31T22:00:00Z", "9999-12-31T23:00:00Z"),
        ("0001-01-01T00:00:00Z", END),
        ("2101-01-01T00:00:00Z", "2101-01-01T02:00:00Z"),
        ("1969-12-31T10:00:00Z", END),
    ],
)
def test_a_meeting_outside_the_window_is_422_invalid_date_naming_the_field(
    api_as, organiser, start, end
):
    response = api_as(organiser).post(
        "/api/v1/meetings", {"title": "远未来", "kind": "regular", "start": start, "end": end}
    )
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_date"
    assert "start" in {f["field"] for f in error["details"]["fields"]}
    assert not Meeting.objects.exists()


def test_moving_a_meeting_out_of_the_window_is_refused(api_as, organiser, make_meeting):
    meeting = make_meeting()
    response = api_as(organiser).patch(
        f"/api/v1/meetings/{meeting.pk}", {"end": "9999-12-31T23:00:00Z"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_date"
    assert response.json()["error"]["details"]["fields"][0]["field"] == "end"


def test_the_window_follows_the_settings(api_as, organiser, settings):
    settings.MEETOPS_DATE_MAX_YEAR = 2030
    payload = {"title": "T", "kind": "regular", "start": "2031-01-01T09:00:00Z"}
    response = api_as(organiser).post(
        "/api/v1/meetings", {**payload, "end": "2031-01-01T10:00:00Z"}
    )
    assert response.status_code == 422
    assert "2030-12-31" in response.json()["error"]["message"] + str(
        response.json()["error"]["details"]
    )


def test_the_service_refuses_what_the_interfaces_missed(organiser):
    from meetops.core.errors import ValidationFailed
    from meetops.meetings import services
    from meetops.meetings.models import MeetingKind

    with pytest.raises(ValidationFailed) as caught:
        services.create_meeting(
            actor=organiser,
            title="T",
            kind=MeetingKind.objects.get(code="regular"),
            start=datetime(9999, 12, 31, 22, tzinfo=UTC),
            end=datetime(9999, 12, 31, 23, tzinfo=UTC),
        )
    assert caught.value.code == "invalid_date" and caught.value.details["field"] == "start"


def test_the_meeting_form_shows_a_field_error(client, organiser):
    client.force_login(organiser)
    response = client.post(
        "/meetings/new/",
        {
            "title": "远未来",
            "kind": "regular",
            "start": "9999-12-31T22:00",
            "end": "9999-12-31T23:00",
            "format": "onsite",
            "confidentiality": "internal",
        },
    )
    assert response.status_code == 200
    assert "9999" not in str(Meeting.objects.values_list("start", flat=True))
    assert response.context["form"].errors["start"]


@pytest.fixture
def stored_far_future(make_meeting):
    """A row written before the window existed, straight into the table."""
    meeting = make_meeting(title="旧的远未来会议")
    Meeting.objects.filter(pk=meeting.pk).update(
        start=datetime(9999, 12, 31, 22, tzinfo=UTC), end=datetime(9999, 12, 31, 23, tzinfo=UTC)
    )
    return meeting


@pytest.mark.parametrize("path", ["/meetings/", "/"])
def test_a_stored_far_future_meeting_breaks_no_list(client, organiser, stored_far_future, path):
    client.force_login(organiser)
    response = client.get(path)
    assert response.status_code == 200
    if path == "/meetings/":
        assert "旧的远未来会议" in response.content.decode()


def test_a_stored_year_one_meeting_breaks_no_api_read(api_as, organiser, make_meeting):
    meeting = make_meeting(title="古代")
    Meeting.objects.filter(pk=meeting.pk).update(start=datetime(1, 1, 1, 0, 30, tzinfo=UTC))
    api = api_as(organiser)
    assert api.get(f"/api/v1/meetings/{meeting.pk}/attendance").status_code == 200
    assert api.get(f"/api/v1/meetings/{meeting.pk}").status_code == 200
