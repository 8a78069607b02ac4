"""The "Replies by mail" page: who replied, to which meeting, what became of it; for whom."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from meetops.invitations.models import CalendarReply, Invitation, ReplyOutcome
from meetops.invitations.services import invitations as invites
from meetops.meetings import services as meetings

URL = "/invitations/replies/"


def _row(
    key: str,
    message_id: str,
    invitation: Invitation | None,
    partstat: str,
    outcome: str,
    **fields: Any,
) -> CalendarReply:
    address = invitation.participant.email if invitation else ""
    return CalendarReply(
        key=key,
        message_id=message_id,
        digest=(key * 64)[:64],
        source=fields.pop("source", "smtp"),
        sender=address,
        attendee=address,
        partstat=partstat,
        invitation=invitation,
        outcome=outcome,
        **fields,
    )


@pytest.fixture
def logged(guests: Any, organiser: Any, make_meeting: Any, make_user: Any) -> dict[str, Any]:
    """Replies on the organiser's meeting, on another organiser's, and one naming nothing."""
    mine = guests(1, title="预算评审会")
    invites.send_invitations(mine, actor=organiser, to="all")
    other_organiser = make_user("other-organiser", roles=("organiser",))
    theirs = make_meeting(title="别人的会议", actor=other_organiser)
    meetings.add_participant(theirs, actor=other_organiser, name="外宾", email="x@example.org")
    invites.send_invitations(theirs, actor=other_organiser, to="all")
    guest = Invitation.objects.get(meeting=mine)
    stranger = Invitation.objects.get(meeting=theirs)
    rows = [
        _row("a", "<tentative-1@outlook.example>", guest, "TENTATIVE", "noted", code="tentative"),
        _row("b", "<accept-2@icloud.com>", guest, "ACCEPTED", "applied", copies=2, source="imap"),
        _row("c", "<theirs@example.org>", stranger, "DECLINED", "refused", code="stale_reply"),
        _row("d", "<junk@spam.example>", None, "", "malformed", code="not_calendar"),
    ]
    CalendarReply.objects.bulk_create(rows)
    return {"mine": mine, "theirs": theirs}


def _page(user: Any, query: str = "", language: str = "en") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(URL + query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_organiser_sees_only_replies_on_meetings_they_manage(logged, organiser):
    html = _page(organiser)
    assert "&lt;tentative-1@outlook.example&gt;" in html and "&lt;accept-2@icloud.com&gt;" in html
    assert "theirs@example.org" not in html and "junk@spam.example" not in html
    assert "Tentative: the invitation stays open" in html
    assert "received 2 times, applied once" in html
    assert 'class="table stack"' in html
    assert f'href="/meetings/{logged["mine"].pk}/rsvp/"' in html


@pytest.mark.django_db
def test_admin_sees_every_reply_with_why_it_was_refused(logged, admin_user):
    html = _page(admin_user)
    for message_id in ("tentative-1@outlook", "accept-2@icloud", "theirs@example", "junk@spam"):
        assert message_id in html
    assert "Answers an older version of the invitation" in html
    assert "No calendar in the mail" in html


@pytest.mark.django_db
def test_filters(logged, admin_user):
    refused = _page(admin_user, "?outcome=refused")
    assert "theirs@example.org" in refused and "tentative-1@" not in refused
    twice = _page(admin_user, "?outcome=copies")
    assert "accept-2@icloud" in twice and "tentative-1@" not in twice
    tentative = _page(admin_user, "?partstat=TENTATIVE")
    assert "tentative-1@" in tentative and "accept-2@" not in tentative
    of_meeting = _page(admin_user, f"?meeting={logged['theirs'].pk}")
    assert "theirs@example.org" in of_meeting and "guest1@" not in of_meeting
    by_address = _page(admin_user, "?address=X@EXAMPLE")
    assert "theirs@example.org" in by_address and "guest1@" not in by_address
    # A bad filter value is dropped, not an error page.
    assert "junk@spam" in _page(admin_user, "?outcome=nonsense&meeting=abc")


@pytest.mark.django_db
def test_members_get_404_and_no_link(logged, member, organiser):
    client = Client()
    client.force_login(member)
    assert client.get(URL).status_code == 404
    assert client.get("/").status_code == 200
    assert URL not in client.get("/").content.decode()
    # The organiser reaches it from the saved groups' navigation and the meeting's answers.
    client.force_login(organiser)
    assert URL in client.get("/groups/").content.decode()
    rsvp = client.get(f"/meetings/{logged['mine'].pk}/rsvp/").content.decode()
    assert f"{URL}?meeting={logged['mine'].pk}" in rsvp


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("zh-hans", ["邮件答复", "暂定：邀请保持未答复", "收到 2 次，只处理一次", "答复人"]),
        ("zh-hant", ["郵件答覆", "暫定：邀請保持未答覆", "收到 2 次，只處理一次", "答覆人"]),
    ],
)
def test_in_both_scripts(logged, organiser, language, texts):
    html = _page(organiser, language=language)
    for text in texts:
        assert text in html
    assert "Tentative: the invitation" not in html


@pytest.mark.django_db
def test_query_count_does_not_grow_with_rows(logged, admin_user, django_assert_max_num_queries):
    client = Client()
    client.force_login(admin_user)
    client.get(URL)  # warm caches (menu, roles)
    with django_assert_max_num_queries(12) as before:
        client.get(URL)
    guest = Invitation.objects.get(meeting=logged["mine"])
    CalendarReply.objects.bulk_create(
        _row(f"more{i}", "", guest, "ACCEPTED", ReplyOutcome.UNCHANGED) for i in range(10)
    )
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(URL)
