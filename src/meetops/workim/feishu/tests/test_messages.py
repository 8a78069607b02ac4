"""Notifications reach a Feishu-linked person as Feishu messages, once, with a link that signs
them in through the platform's authorisation (the stand-in's, over HTTP)."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest

from meetops.identity.models import ExternalIdentity
from meetops.invitations.services import invitations as invites
from meetops.meetings import services as meetings
from meetops.notifications.models import Channel, OutboxMessage
from meetops.notifications.worker import Worker

pytestmark = pytest.mark.django_db


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def location_from_platform(url: str) -> str:
    """Open the platform's authorisation page (real HTTP); where it sends the browser back."""
    try:
        urllib.request.build_opener(_NoRedirect).open(url)
    except urllib.error.HTTPError as exc:
        assert exc.code == 302
        return str(exc.headers["Location"])
    raise AssertionError("the authorisation page did not redirect")


def test_an_invitation_reaches_the_person_once_and_its_link_signs_them_in(
    feishu, make_user, make_meeting, organiser, client, django_capture_on_commit_callbacks
):
    teacher = make_user("zhang", email="zhang@example.edu.cn")
    ExternalIdentity.objects.create(user=teacher, provider="feishu", external_id="u-t1")
    meeting = make_meeting(title="教学例会")
    meetings.add_participant(meeting, actor=organiser, user=teacher)
    with django_capture_on_commit_callbacks(execute=True):
        invites.send_invitations(meeting, actor=organiser, to="all")
    Worker().run_once()
    Worker().run_once()

    [sent] = feishu.messages
    # An invitation waits on its invitee: a card with Accept / Decline and the link.
    assert sent["receive_id"] == "u-t1" and sent["msg_type"] == "interactive"
    row = OutboxMessage.objects.get(channel=Channel.IM, user=teacher)
    assert row.status == "sent"
    card = sent["content"]
    form = next(e for e in card["elements"] if e["tag"] == "form")
    buttons = next(e for e in form["elements"] if e["tag"] == "action")["actions"]
    assert [b["text"]["content"] for b in buttons] == ["接受", "谢绝"]
    link = card["elements"][-1]["actions"][0]["url"]
    path = urllib.parse.urlsplit(link)
    assert path.path == "/im/feishu/login/"

    feishu.signed_in_as = "u-t1"
    to_platform = client.get(f"{path.path}?{path.query}")
    assert to_platform.status_code == 302
    assert to_platform["Location"].startswith(f"{feishu.base}/open-apis/authen/v1/index?")
    back = urllib.parse.urlsplit(location_from_platform(to_platform["Location"]))
    signed_in = client.get(f"{back.path}?{back.query}")
    assert signed_in.status_code == 302
    assert signed_in["Location"] == urllib.parse.parse_qs(path.query)["next"][0]
    assert client.get("/").wsgi_request.user == teacher

    # The code was used: the same return address does not sign anyone in again.
    client.logout()
    client.get(f"{back.path}?{back.query}")
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_platform_failure_is_in_the_delivery_log_with_its_code(
    feishu, make_user, make_meeting, organiser, django_capture_on_commit_callbacks
):
    teacher = make_user("zhang", email="zhang@example.edu.cn")
    ExternalIdentity.objects.create(user=teacher, provider="feishu", external_id="u-gone")
    meeting = make_meeting(title="教学例会")
    meetings.add_participant(meeting, actor=organiser, user=teacher)
    with django_capture_on_commit_callbacks(execute=True):
        invites.send_invitations(meeting, actor=organiser, to="all")
    Worker().run_once()
    row = OutboxMessage.objects.get(channel=Channel.IM, user=teacher)
    assert "230013" in row.last_error
    assert feishu.messages == []
