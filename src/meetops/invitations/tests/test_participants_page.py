"""The participants page as an organiser meets it: a saved group, feedback, input kept on errors."""

from __future__ import annotations

import pytest

from meetops.invitations.models import Invitation
from meetops.invitations.services import groups

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(organiser):
    """Messages are asserted in English; the Chinese pages are checked in test_groups.py."""
    organiser.language = "en"
    organiser.save(update_fields=["language"])


def test_saved_group_card_adds_the_group_in_the_chosen_role(
    client, make_meeting, make_user, organiser
):
    a, b = make_user("a"), make_user("b")
    group = groups.save_group(actor=organiser, name="办公室骨干", users=[a, b])
    meeting = make_meeting()
    client.force_login(organiser)
    page = client.get(f"/meetings/{meeting.pk}/people/").content.decode()
    assert 'id="add-group"' in page and "办公室骨干" in page
    response = client.post(
        f"/meetings/{meeting.pk}/people/add/",
        {"group": group.pk, "role": "observer", "attendance": "optional"},
        follow=True,
    )
    assert "2 added, 0 already on the meeting." in response.content.decode()
    assert set(
        meeting.participants.filter(role="observer").values_list("user__username", flat=True)
    ) == {"a", "b"}


def test_without_groups_the_card_leads_to_the_groups_page(client, make_meeting, organiser):
    meeting = make_meeting()
    client.force_login(organiser)
    page = client.get(f"/meetings/{meeting.pk}/people/").content.decode()
    assert 'id="add-group"' in page and 'href="/groups/"' in page


def test_adding_nobody_says_so_and_keeps_the_choices(client, make_meeting, organiser):
    meeting = make_meeting()
    client.force_login(organiser)
    response = client.post(
        f"/meetings/{meeting.pk}/people/add/", {"role": "speaker", "attendance": "optional"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Choose at least one person" in body
    assert '<option value="speaker" selected>' in body
    assert meeting.participants.count() == 1  # only the organiser


def test_a_refused_guest_keeps_what_was_typed(client, make_meeting, organiser):
    meeting = make_meeting()
    client.force_login(organiser)
    response = client.post(
        f"/meetings/{meeting.pk}/people/guest/",
        {
            "name": "周华",
            "email": "not-an-address",
            "organisation": "市财政局",
            "role": "participant",
            "attendance": "required",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'value="周华"' in body and 'value="市财政局"' in body
    assert "The guest was not added" in body
    ok = client.post(
        f"/meetings/{meeting.pk}/people/guest/",
        {
            "name": "周华",
            "email": "zh@example.org",
            "role": "participant",
            "attendance": "required",
        },
        follow=True,
    )
    assert "周华 added." in ok.content.decode()


def test_send_to_the_chosen_with_nobody_ticked_explains(client, guests, organiser):
    meeting = guests(2)
    client.force_login(organiser)
    response = client.post(f"/meetings/{meeting.pk}/people/send/", {"to": "chosen"}, follow=True)
    assert "Tick the people to send to first." in response.content.decode()
    assert not Invitation.objects.filter(first_sent_at__isnull=False).exists()


def test_import_without_a_file_says_so(client, make_meeting, organiser):
    meeting = make_meeting()
    client.force_login(organiser)
    response = client.post(f"/meetings/{meeting.pk}/people/import/", {}, follow=True)
    assert "This field is required." in response.content.decode()


def test_counts_never_contradict_the_list_below_them(client, make_meeting, organiser):
    """Issue 16, finding 4: "共 0 人" above a list with a person in it; "所有受邀人员均已回复"
    when nobody was invited."""
    meeting = make_meeting()
    client.force_login(organiser)
    people = client.get(f"/meetings/{meeting.pk}/people/").content.decode()
    rows = people.count("<tr data-rsvp=")
    assert rows == 1 and '<span id="participant-counts">1 person ·' in people
    body = client.get(f"/meetings/{meeting.pk}/rsvp/").content.decode()
    assert "Nobody has been invited yet." in body and "Everyone invited has answered" not in body


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Sign-in desk", "Recording (minutes)"]),
        ("zh-hans", ["签到台", "会议记录"]),
        ("zh-hant", ["簽到台", "會議記錄"]),
    ],
)
def test_the_page_shows_each_persons_duty_kinds_in_their_language(
    client, make_meeting, make_user, organiser, language, words
):
    from meetops.meetings.services import add_participant

    organiser.language = language
    organiser.save(update_fields=["language"])
    meeting = make_meeting()
    clerk = add_participant(meeting, actor=organiser, user=make_user("clerk"), duties="门口引导")
    clerk.duty_kinds = ["recording", "desk"]
    clerk.save(update_fields=["duty_kinds"])
    client.force_login(organiser)
    page = client.get(f"/meetings/{meeting.pk}/people/").content.decode()
    row = page.split(f'value="{clerk.pk}"', 1)[1].split("</tr>", 1)[0]
    # In the kinds' own order, each a badge, the free text below; a stacked cell with its label.
    first, second = words
    assert f'<span class="badge">{first}</span> <span class="badge">{second}</span>' in row
    assert '<span class="muted small">门口引导</span>' in row
    assert 'class="duties"' in row and "data-label=" in row.split('class="duties"')[0][-40:]
