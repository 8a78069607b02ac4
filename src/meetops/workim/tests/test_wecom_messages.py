"""Notifications reaching people on WeCom (application messages through the outbox, real
HTTP to the stand-in), and the link in them signing the person in."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction
from tests.servers.wecom_standin import WeComStandIn

from meetops.core.models import AuditEntry
from meetops.identity.models import ExternalIdentity
from meetops.invitations.models import Invitation
from meetops.invitations.services.invitations import remind_non_responders, send_invitations
from meetops.meetings import services as meetings
from meetops.notifications import services as notify
from meetops.notifications.models import (
    Channel,
    DeliveryAttempt,
    Notification,
    OutboxMessage,
    Status,
)
from meetops.notifications.worker import Worker
from meetops.people.models import User
from meetops.workim import services
from meetops.workim.platforms import get_platform

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(wecom: WeComStandIn, wecom_sync: Callable[[], Any]) -> dict[str, User]:
    wecom_sync()
    return {u.username: u for u in User.objects.filter(external_identities__provider="wecom")}


def _no_redirect_get(url: str) -> str:
    """GET on the stand-in without following its redirect; the Location it answers."""

    class Stop(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(Stop)
    try:
        opener.open(url, timeout=10)
    except urllib.error.HTTPError as exc:
        return str(exc.headers["Location"])
    raise AssertionError("the stand-in did not redirect")


def test_an_invitation_reaches_wecom_once_and_its_link_signs_the_person_in(
    wecom: WeComStandIn, linked: dict[str, User], make_meeting: Any, organiser: Any, client: Any
) -> None:
    zhangsan = linked["zhangsan"]
    meeting = make_meeting(title="党委会（第5次）", location="第一会议室")
    meetings.add_participant(meeting, actor=organiser, user=zhangsan)
    send_invitations(meeting, actor=organiser, to="all")
    Worker().run_once(with_jobs=False)
    Worker().run_once(with_jobs=False)  # nothing left to send twice

    [sent] = wecom.sent
    # An invitation waits on its invitee: a card with Accept / Decline (deciding from a message).
    assert sent["touser"] == "zhangsan" and sent["msgtype"] == "template_card"
    card = sent["template_card"]
    assert "党委会（第5次）" in card["main_title"]["title"]
    # Each button's key carries the action and the decision's reference (the invitation).
    invitation = Invitation.objects.get(participant__user=zhangsan)
    assert [b["key"] for b in card["button_list"]] == [
        f"accept/invitations.rsvp/{invitation.pk}.0",
        f"decline/invitations.rsvp/{invitation.pk}.0",
    ]
    row = OutboxMessage.objects.get(channel=Channel.IM, user=zhangsan)
    assert (row.status, row.address, row.user) == (Status.SENT, "wecom:zhangsan", zhangsan)

    # The link: MeetOps's WeCom sign-in, then the personal RSVP page.
    link = urlsplit(card["card_action"]["url"])
    assert link.path == "/im/wecom/login/"
    token = Invitation.objects.get(participant__user=zhangsan).token
    assert parse_qs(link.query)["next"] == [f"/rsvp/{token}"]
    inside_wecom = {"HTTP_USER_AGENT": "Mozilla/5.0 wxwork/4.1.22 MicroMessenger/7.0.1"}
    start = client.get(f"{link.path}?{link.query}", **inside_wecom)
    assert start.status_code == 302
    assert "/connect/oauth2/authorize?" in start["Location"]  # silent, inside the app
    assert start["Location"].endswith("#wechat_redirect")
    wecom.login_as = "zhangsan"
    back = urlsplit(_no_redirect_get(start["Location"].split("#")[0]))
    done = client.get(f"{back.path}?{back.query}", **inside_wecom)
    assert done.status_code == 302 and done["Location"] == f"/rsvp/{token}"
    assert int(client.session["_auth_user_id"]) == zhangsan.pk
    entry = AuditEntry.objects.filter(action="people.sign_in.success").latest("pk")
    assert entry.data["provider"] == "wecom" and entry.actor_id == zhangsan.pk
    # The code was used once: the same return address again signs nobody in.
    client.logout()
    again = client.get(f"{back.path}?{back.query}")
    assert again.status_code == 302 and again["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def _changed(meeting: Any, people: list[User], **kwargs: Any) -> None:
    with transaction.atomic():
        notify.enqueue(
            event="meeting.changed",
            recipients=people,
            meeting=meeting,
            context={"meeting": meeting, "url": f"/meetings/{meeting.pk}/"},
            **kwargs,
        )


def test_every_notification_reaches_linked_people_in_their_language(
    wecom: WeComStandIn, linked: dict[str, User], make_meeting: Any, make_user: Any
) -> None:
    lisi = linked["lisi"]
    lisi.language = "en"
    lisi.save(update_fields=["language"])
    stranger = make_user("stranger", email="s@example.org")  # not linked: e-mail and bell only
    meeting = make_meeting(title="Budget review")
    _changed(meeting, [lisi, linked["wangwu"], stranger])
    Worker().run_once(with_jobs=False)
    by_user = {m["touser"]: m for m in wecom.sent}
    assert set(by_user) == {"lisi", "wangwu"}
    assert by_user["lisi"]["textcard"]["title"] == "Changed: Budget review"
    assert by_user["wangwu"]["textcard"]["title"] == "已变更：Budget review"
    assert not OutboxMessage.objects.filter(channel=Channel.IM, user=stranger).exists()
    # Two messages with the same words are still different texts (a reference at the end).
    assert (
        by_user["lisi"]["textcard"]["description"] != by_user["wangwu"]["textcard"]["description"]
    )


def test_switched_off_or_restricted_to_email_gets_no_work_im(
    wecom: WeComStandIn, linked: dict[str, User], make_meeting: Any
) -> None:
    services.set_im_preference(actor=linked["lisi"], receive=False)
    meeting = make_meeting()
    _changed(meeting, [linked["lisi"]])
    _changed(meeting, [linked["wangwu"]], channels=[Channel.EMAIL])
    Worker().run_once(with_jobs=False)
    assert wecom.sent == []
    assert not OutboxMessage.objects.filter(channel=Channel.IM).exists()


def test_an_expired_token_is_fetched_again_once(
    wecom: WeComStandIn, linked: dict[str, User], make_meeting: Any
) -> None:
    get_platform("wecom").token()  # cached in the shared cache …
    wecom.expire_tokens()  # … and then refused by WeCom: 40014
    before = len(wecom.calls("cgi-bin/gettoken"))
    _changed(make_meeting(), [linked["lisi"]])
    Worker().run_once(with_jobs=False)
    assert OutboxMessage.objects.get(channel=Channel.IM).status == Status.SENT
    assert len(wecom.calls("cgi-bin/gettoken")) == before + 1
    assert len(wecom.calls("cgi-bin/message/send")) == 2  # refused once, then sent
    assert [m["touser"] for m in wecom.sent] == ["lisi"]


def test_throttling_is_retried_later_with_the_code_in_the_delivery_log(
    wecom: WeComStandIn, linked: dict[str, User], make_meeting: Any
) -> None:
    wecom.fail_next("cgi-bin/message/send", {"errcode": 45009, "errmsg": "api freq out of limit"})
    _changed(make_meeting(), [linked["lisi"]])
    Worker().run_once(with_jobs=False)
    row = OutboxMessage.objects.get(channel=Channel.IM)
    assert row.status == Status.FAILED
    attempt = DeliveryAttempt.objects.get(message=row)
    assert (attempt.outcome, attempt.response_code) == ("retry", "45009")
    # Not before the platform's minute has passed.
    assert (row.next_attempt_at - attempt.finished_at).total_seconds() >= 59
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)
    Worker().run_once(with_jobs=False)
    row.refresh_from_db()
    assert row.status == Status.SENT and [m["touser"] for m in wecom.sent] == ["lisi"]


def test_someone_wecom_no_longer_knows_fails_for_good_with_the_code_in_the_log(
    wecom: WeComStandIn, linked: dict[str, User], make_meeting: Any
) -> None:
    del wecom.users["wangwu"]
    _changed(make_meeting(), [linked["wangwu"]])
    Worker().run_once(with_jobs=False)
    row = OutboxMessage.objects.get(channel=Channel.IM)
    assert row.status == Status.DEAD
    assert DeliveryAttempt.objects.get(message=row).response_code == "81013"
    assert "81013" in row.last_error


def test_someone_without_email_gets_the_invitation_and_reminder_on_wecom(
    wecom: WeComStandIn, make_user: Any, make_meeting: Any, organiser: Any, client: Any
) -> None:
    """Only a WeCom link, no e-mail address: the invitation is composed for the person, not
    for an address, and reaches them on WeCom with a link that opens their RSVP page."""
    wangwu = make_user("wangwu", email="")
    ExternalIdentity.objects.create(user=wangwu, provider="wecom", external_id="wangwu")
    meeting = make_meeting(title="党委会（第6次）")
    meetings.add_participant(meeting, actor=organiser, user=wangwu)

    result = send_invitations(meeting, actor=organiser, to="all")
    assert (result.queued, result.without_email) == (1, 0)
    Worker().run_once(with_jobs=False)
    Worker().run_once(with_jobs=False)

    [sent] = wecom.sent
    assert (
        sent["touser"] == "wangwu"
        and "党委会（第6次）" in sent["template_card"]["main_title"]["title"]
    )
    assert not OutboxMessage.objects.filter(channel=Channel.EMAIL).exists()
    bell = Notification.objects.get(user=wangwu)
    assert bell.event == "meeting.invited"
    token = Invitation.objects.get(participant__user=wangwu).token
    link = urlsplit(sent["template_card"]["card_action"]["url"])
    assert parse_qs(link.query)["next"] == [f"/rsvp/{token}"]
    page = client.get(f"/rsvp/{token}")
    assert page.status_code == 200 and "党委会（第6次）" in page.content.decode()

    # The reminder to answer goes the same way.
    assert remind_non_responders(meeting, actor=organiser) == 1
    Worker().run_once(with_jobs=False)
    Worker().run_once(with_jobs=False)
    assert [m["touser"] for m in wecom.sent] == ["wangwu", "wangwu"]
    assert OutboxMessage.objects.filter(channel=Channel.IM, event="rsvp.deadline").count() == 1


def test_someone_with_neither_email_nor_account_is_counted_as_unreached(
    wecom: WeComStandIn, make_meeting: Any, organiser: Any
) -> None:
    meeting = make_meeting()
    meetings.add_participant(meeting, actor=organiser, name="访客", email="")
    result = send_invitations(meeting, actor=organiser, to="all")
    assert (result.queued, result.invited, result.without_email) == (0, 1, 1)
