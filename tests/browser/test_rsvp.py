"""The RSVP page on a phone (375×812) in a real chromium: accept and see the QR code; decline with a reason."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def phone() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed")
    os.environ.setdefault(
        "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
    )  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(
            viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True, locale="zh-CN"
        )
        yield context.new_page()
        browser.close()


@pytest.fixture
def invited(make_user: Any) -> Any:
    """Two guests invited to a meeting; returns (meeting, [token, token])."""
    from django.utils import timezone

    from meetops.invitations.models import Invitation
    from meetops.invitations.services.invitations import send_invitations
    from meetops.meetings import services
    from meetops.meetings.models import MeetingKind

    organiser = make_user("organiser", roles=("organiser",))
    start = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    meeting = services.create_meeting(
        actor=organiser,
        title="季度工作会",
        kind=MeetingKind.objects.get_or_create(code="regular", defaults={"name_zh_hans": "例会"})[
            0
        ],
        start=start,
        end=start + timedelta(hours=2),
        location="三楼会议室",
    )
    for i in (1, 2):
        services.add_participant(
            meeting, actor=organiser, name=f"嘉宾{i}", email=f"g{i}@example.org"
        )
    send_invitations(meeting, actor=organiser, to="all")
    tokens = [Invitation.objects.get(participant__email=f"g{i}@example.org").token for i in (1, 2)]
    return meeting, tokens


def test_accept_shows_the_sign_in_qr_code(live_server: Any, phone: Any, invited: Any) -> None:
    _meeting, (token, _other) = invited
    phone.goto(f"{live_server.url}/rsvp/{token}")
    assert phone.locator("h1").first.inner_text() == "季度工作会"
    assert phone.locator("#signin-qr").count() == 0
    # Nothing sticks out sideways on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.locator("input[name=response][value=accept]").check()
    phone.locator("#rsvp-form button[type=submit]").click()
    phone.wait_for_selector("#signin-qr img")
    assert phone.locator("#rsvp-status").get_attribute("data-response") == "accept"
    # The image may still be on its way when the element appears (a loaded CI machine).
    loaded = phone.locator("#signin-qr img").evaluate(
        """img => img.complete ? img.naturalWidth > 0 : new Promise(done => {
            img.addEventListener("load", () => done(img.naturalWidth > 0));
            img.addEventListener("error", () => done(false));
        })"""
    )
    assert loaded


def test_decline_with_a_reason(live_server: Any, phone: Any, invited: Any) -> None:
    from meetops.invitations.models import Invitation

    _meeting, (_token, token) = invited
    phone.goto(f"{live_server.url}/rsvp/{token}")
    phone.locator("input[name=response][value=decline]").check()
    phone.locator("textarea[name=reason]").fill("当天出差")
    phone.locator("#rsvp-form button[type=submit]").click()
    phone.wait_for_selector("#rsvp-status")
    assert "当天出差" in phone.locator("#rsvp-status").inner_text()
    assert phone.locator("#signin-qr").count() == 0
    assert Invitation.objects.get(token=token).reason == "当天出差"
