"""Work notifications end to end: the outbox worker, the DingTalk platform, the stand-in's
asyncsend_v2 over real HTTP; and the link in the message signing the person in."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from tests.servers.dingtalk_standin import CORP_ID, StandIn

from meetops.identity.models import ExternalIdentity
from meetops.invitations.services import invitations as invites
from meetops.meetings import services as meetings
from meetops.notifications.models import Channel, DeliveryAttempt, OutboxMessage
from meetops.notifications.worker import Worker
from meetops.people.models import User
from meetops.workim.platforms import PersonalMessage, get_platform

pytestmark = pytest.mark.django_db

SEND = "topapi/message/corpconversation/asyncsend_v2"


def person(userid: str) -> User:
    return ExternalIdentity.objects.get(provider="dingtalk", external_id=userid).user


def drain() -> None:
    """Run the worker until the outbox has nothing due."""
    for _ in range(5):
        Worker().run_once()


def im_row(userid: str, subject: str, body: str, **fields: Any) -> OutboxMessage:
    return OutboxMessage.objects.create(
        channel=Channel.IM,
        event="meeting.invited",
        user=person(userid),
        address=f"dingtalk:{userid}",
        subject=subject,
        body=body,
        url="/",
        language="zh-hans",
        **fields,
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def location_of(url: str) -> str:
    """Where the stand-in's page sends the browser (its 302, not followed)."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(url)
    except urllib.error.HTTPError as exc:
        assert exc.code == 302
        return str(exc.headers["Location"])
    raise AssertionError("no redirect")


def test_an_invitation_reaches_the_person_once_and_its_link_signs_them_in(
    synced: StandIn, make_meeting: Any, organiser: Any, client: Any, settings: Any
) -> None:
    zhangsan = person("zhangsan")
    meeting = make_meeting(title="预算评审会")
    meeting.stage = "preparing"
    meeting.save(update_fields=["stage"])
    meetings.add_participant(meeting, actor=organiser, user=zhangsan)
    invites.send_invitations(meeting, actor=organiser, to="all")
    drain()

    (sent,) = synced.delivered("zhangsan")
    assert sent.msg["msgtype"] == "action_card"
    card = sent.msg["action_card"]
    assert "预算评审会" in card["title"] + card["markdown"]
    link = card["single_url"]
    # The in-app page, which signs in silently inside the client (the corp id is set).
    assert link.startswith(settings.SITE_URL.rstrip("/") + "/im/dingtalk/app/?next=")
    assert "corpid" not in link
    drain()  # nothing sent twice
    assert [s.userid for s in synced.sent] == ["zhangsan"]

    # Opening the link inside DingTalk: the page asks the container for an authCode (the
    # browser test does it with a fake `dd`) and posts it; no DingTalk page in between.
    opened = client.get(urlsplit(link).path + "?" + urlsplit(link).query)
    assert f'data-corp-id="{CORP_ID}"' in opened.content.decode()
    next_page = parse_qs(urlsplit(link).query)["next"][0]
    code = synced.issue_jsapi_code("zhangsan")
    landed = client.post(urlsplit(link).path, {"code": code, "next": next_page})
    assert (landed.status_code, landed["Location"]) == (302, next_page)
    assert client.get(next_page).wsgi_request.user == zhangsan
    assert not [c for c in synced.calls if "oauth2" in c]


def test_without_a_corp_id_set_the_link_asks_the_client_for_it(
    synced: StandIn, settings: Any, client: Any
) -> None:
    settings.MEETOPS_DINGTALK_CORP_ID = ""
    im_row("lisi", "会议提醒", "明天 09:00 党委会")
    drain()
    (sent,) = synced.delivered("lisi")
    link = urlsplit(sent.msg["action_card"]["single_url"])
    assert link.path == "/im/dingtalk/app/"
    # DingTalk's client replaces the literal $CORPID$ with the corp id as it opens the link.
    assert link.query == "next=%2F&corpid=$CORPID$"
    filled = client.get(link.path, {"next": "/", "corpid": CORP_ID})
    assert f'data-corp-id="{CORP_ID}"' in filled.content.decode()
    # Opened elsewhere, the placeholder stays as it is: no corp id, the page falls back.
    unfilled = client.get(f"{link.path}?{link.query}").content.decode()
    assert 'data-corp-id=""' in unfilled
    assert 'href="/im/dingtalk/login/?next=%2F"' in unfilled


def test_the_in_app_link_signs_in_the_linked_person_in_the_old_way_too(
    synced: StandIn, client: Any
) -> None:
    # A browser outside DingTalk follows the page's fallback: DingTalk's OAuth page.
    synced.next_login = "zhangsan"
    to_dingtalk = client.get("/im/dingtalk/login/", {"next": "/meetings/"})
    assert to_dingtalk["Location"].startswith(synced.url + "/oauth2/auth?")
    back = urlsplit(location_of(to_dingtalk["Location"]))
    landed = client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})
    assert (landed.status_code, landed["Location"]) == (302, "/meetings/")
    assert client.get("/meetings/").wsgi_request.user == person("zhangsan")


def test_two_different_notices_with_the_same_text_the_same_day_both_arrive(
    synced: StandIn,
) -> None:
    im_row("lisi", "会议提醒", "明天 09:00 党委会")
    im_row("lisi", "会议提醒", "明天 09:00 党委会")
    drain()
    assert len(synced.delivered("lisi")) == 2
    assert not [s for s in synced.sent if s.dropped]


def test_the_standin_drops_an_identical_second_text_as_dingtalk_does(synced: StandIn) -> None:
    # The rule the test above defeats: the same content twice is "sent" and not delivered.
    dingtalk = get_platform("dingtalk")
    message = PersonalMessage(
        title="会议提醒", text="明天 09:00 党委会", url="", language="zh-hans"
    )
    first = dingtalk.send_personal(platform_user_id="lisi", message=message)
    second = dingtalk.send_personal(platform_user_id="lisi", message=message)
    assert first != second  # two task ids: DingTalk said both were sent
    assert len(synced.delivered("lisi")) == 1


def test_throttling_is_retried_with_dingtalks_code_in_the_delivery_log(synced: StandIn) -> None:
    synced.throttle(SEND, times=1, code=143103)
    row = im_row("wangwu", "会议变更", "地点改为三楼会议室")
    Worker().run_once()
    row.refresh_from_db()
    assert row.status == "failed"
    attempt = DeliveryAttempt.objects.filter(message=row).latest("pk")
    assert attempt.response_code == "143103"
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    drain()
    row.refresh_from_db()
    assert row.status == "sent"
    assert len(synced.delivered("wangwu")) == 1


def test_an_expired_token_is_refreshed_and_the_notice_goes_out(synced: StandIn) -> None:
    im_row("zhaoliu", "纪要已发布", "第 3 次党委会纪要")
    drain()
    synced.expire_token()
    im_row("zhaoliu", "纪要已发布", "第 4 次党委会纪要")
    drain()
    assert len(synced.delivered("zhaoliu")) == 2
    assert synced.calls.count("gettoken") == 2


def test_someone_dingtalk_does_not_know_fails_for_good_with_the_reason(synced: StandIn) -> None:
    row = im_row("sunqi", "会议提醒", "明天 09:00")
    del synced.users["sunqi"]
    Worker().run_once()
    row.refresh_from_db()
    assert row.status == "dead"
    assert DeliveryAttempt.objects.filter(message=row).latest("pk").response_code == "invalid_user"
