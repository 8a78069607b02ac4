"""What a walk through the invitation screens found: each test pins a fix a person would notice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetops.core.errors import ValidationFailed
from meetops.invitations import spreadsheets
from meetops.invitations.models import Invitation
from meetops.invitations.services import invitations as invites
from meetops.invitations.services import participants as people
from meetops.invitations.services import public
from meetops.meetings import services as meetings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(organiser):
    organiser.language = "en"
    organiser.save(update_fields=["language"])


def test_a_saved_deadline_shows_in_the_form_so_saving_again_keeps_it(client, guests, organiser):
    meeting = guests(1)
    deadline = (meeting.start - timedelta(days=1)).replace(second=0, microsecond=0)
    invites.set_deadline(meeting, actor=organiser, deadline=deadline)
    client.force_login(organiser)
    page = client.get(f"/meetings/{meeting.pk}/rsvp/").content.decode()
    shown = timezone.localtime(deadline).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{shown}"' in page
    response = client.post(
        f"/meetings/{meeting.pk}/rsvp/deadline/", {"deadline": shown}, follow=True
    )
    # The form sent back as shown is the same deadline: kept, and nothing written.
    assert "Nothing changed." in response.content.decode()
    meeting.invitation_settings.refresh_from_db()
    assert meeting.invitation_settings.rsvp_deadline == deadline
    assert "a day before the deadline" in response.content.decode()


def test_a_deadline_after_the_start_is_refused_with_a_message(client, guests, organiser):
    meeting = guests(1)
    late = timezone.localtime(meeting.start + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.force_login(organiser)
    response = client.post(
        f"/meetings/{meeting.pk}/rsvp/deadline/", {"deadline": late}, follow=True
    )
    assert "The deadline must be before the meeting starts." in response.content.decode()


def test_registration_settings_and_substitute_decisions_confirm_what_happened(
    client, guests, organiser
):
    meeting = guests(1, confidentiality="public")
    client.force_login(organiser)
    response = client.post(
        f"/meetings/{meeting.pk}/rsvp/registration/", {"open": "on", "capacity": "5"}, follow=True
    )
    assert "Registration settings saved." in response.content.decode()

    participant = meeting.participants.get(email="guest1@example.org")
    invites.send_invitations(meeting, actor=organiser, to="all")
    invites.respond(
        Invitation.objects.get(participant=participant),
        response="substitute",
        reason="出差",
        substitute={"name": "王五", "email": "wangwu@example.org", "phone": ""},
    )
    response = client.post(
        f"/meetings/{meeting.pk}/people/{participant.pk}/substitute/", {"accept": "1"}, follow=True
    )
    assert "王五 accepted as substitute." in response.content.decode()


def test_editing_and_removing_a_participant_confirm_it(client, guests, organiser):
    meeting = guests(1)
    participant = meeting.participants.get(email="guest1@example.org")
    client.force_login(organiser)
    response = client.post(
        f"/meetings/{meeting.pk}/people/{participant.pk}/",
        {"role": "staff", "attendance": "required", "duties": "签到台"},
        follow=True,
    )
    assert "嘉宾1 saved." in response.content.decode()
    response = client.post(f"/meetings/{meeting.pk}/people/{participant.pk}/remove/", follow=True)
    assert "嘉宾1 removed from the meeting." in response.content.decode()


def test_public_registration_tells_where_the_mail_goes_and_about_the_waiting_list(
    client, make_meeting, organiser
):
    meeting = make_meeting(confidentiality="public", location="礼堂", goals="g")
    meeting.stage = "preparing"
    meeting.save(update_fields=["stage"])
    public.set_registration(meeting, actor=organiser, open=True, capacity=1)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    first = client.post(
        f"/events/{meeting.pk}/", {"name": "甲", "email": "a@example.org"}, follow=True
    )
    assert "You are registered" in first.content.decode()
    assert "a@example.org" in first.content.decode()
    second = client.post(
        f"/events/{meeting.pk}/", {"name": "乙", "email": "b@example.org"}, follow=True
    )
    assert "you are on the waiting list" in second.content.decode()


def test_chinese_excel_csv_in_gb18030_imports(make_meeting, organiser):
    data = "姓名,部门/单位,邮箱\n张三,财政局,zhang@example.org\n,,\n".encode("gb18030")
    rows = spreadsheets.read_rows(data, "名单.csv")
    assert rows == [{"name": "张三", "organisation": "财政局", "email": "zhang@example.org"}]
    meeting = make_meeting()
    assert people.import_participants(meeting, actor=organiser, rows=rows).created == 1


def test_a_file_with_only_column_names_says_nobody_is_in_it():
    with pytest.raises(ValidationFailed) as exc:
        spreadsheets.read_rows("姓名,邮箱\n,\n".encode(), "a.csv")
    assert exc.value.code == "no_rows"


def test_a_bad_import_file_is_reported_on_the_page(client, make_meeting, organiser):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = make_meeting()
    client.force_login(organiser)
    upload = SimpleUploadedFile("list.xlsx", b"\x89PNG not a workbook")
    response = client.post(f"/meetings/{meeting.pk}/people/import/", {"file": upload}, follow=True)
    assert "The file could not be read as .xlsx or .csv." in response.content.decode()
    assert meeting.participants.count() == 1


def test_staffing_plan_and_answers_stack_on_phones(client, guests, organiser):
    meeting = guests(1)
    participant = meeting.participants.get(email="guest1@example.org")
    people.update_participant(participant, actor=organiser, role="staff", duties="引导")
    invites.send_invitations(meeting, actor=organiser, to="all")
    invites.respond(Invitation.objects.get(participant=participant), response="accept")
    client.force_login(organiser)
    staffing = client.get(f"/meetings/{meeting.pk}/staffing/").content.decode()
    # The organiser's staffing plan is the form that gives duties (issue 16 finding 11).
    assert 'class="table stack" id="staffing"' in staffing and 'data-label="Duty note"' in staffing
    answers = client.get(f"/meetings/{meeting.pk}/rsvp/").content.decode()
    assert 'data-label="Answered"' in answers
    people_page = client.get(f"/meetings/{meeting.pk}/people/").content.decode()
    assert 'class="table stack" id="participants"' in people_page


def test_sending_says_how_many_invitations_were_queued(client, guests, organiser):
    meeting = guests(2)
    meetings.add_participant(meeting, actor=organiser, name="临时", email="tmp@example.org")
    client.force_login(organiser)
    response = client.post(f"/meetings/{meeting.pk}/people/send/", {"to": "uninvited"}, follow=True)
    assert "invitation(s) queued" in response.content.decode()


def test_preview_warns_about_an_unknown_placeholder_before_saving(client, organiser):
    client.force_login(organiser)
    response = client.post(
        "/invitations/templates/",
        {
            "language": "en",
            "subject": "Invitation: {{ meeting.title }}",
            "body": "Dear {{ person.name }}, {{ meeting.titel }}",
            "preview": "1",
        },
    )
    body = response.content.decode()
    assert "Unknown placeholder(s): {{ meeting.titel }}" in body
    assert 'class="preview"' in body  # the preview is still shown
