"""The sign-in desk on a phone (375×812, zh-Hans) in a real chromium: a hand-held scanner types a code and Enter."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def meeting_at_the_door(organiser: Any) -> Any:
    """A meeting starting in 20 minutes with two invited guests; returns (meeting, guest, code)."""
    from django.utils import timezone

    from meetops.invitations.models import Invitation
    from meetops.invitations.services.invitations import send_invitations
    from meetops.meetings import services
    from meetops.meetings.models import MeetingKind

    start = (timezone.now() + timedelta(minutes=20)).replace(microsecond=0)
    meeting = services.create_meeting(
        actor=organiser,
        title="季度工作会",
        kind=MeetingKind.objects.get(code="regular"),
        start=start,
        end=start + timedelta(hours=2),
        location="三楼会议室",
    )
    guests = [
        services.add_participant(
            meeting,
            actor=organiser,
            name=name,
            email=f"g{n}@example.org",
            phone=f"1380013800{n}",
            organisation="办公室",
        )
        for n, name in enumerate(["王芳", "李强"], start=1)
    ]
    send_invitations(meeting, actor=organiser, to="all")
    return meeting, guests[0], Invitation.objects.get(participant=guests[0]).checkin_code


def test_scanner_signs_a_guest_in_and_the_desk_updates(
    open_page: Any, sign_in: Any, organiser: Any, meeting_at_the_door: Any
) -> None:
    from playwright.sync_api import expect

    meeting, guest, code = meeting_at_the_door
    page = open_page(375, 812, "zh-CN")
    sign_in(page, "organiser")
    page.goto(f"/meetings/{meeting.pk}/signin/")
    assert page.locator("h1").inner_text() == "签到台"
    assert page.locator("#count-signed").inner_text() == "0"
    assert page.locator("#count-pending").inner_text() == "2"
    row = page.locator(f"#person-{guest.pk}")
    assert row.get_attribute("data-state") == "pending"
    assert "13800138001" in row.inner_text()  # staff can call those not yet here
    assert row.locator("button").inner_text() == "签到"  # not "登录" (log in)

    scanner = page.locator("#scan-input")
    assert scanner.evaluate("el => el === document.activeElement")  # ready for the scanner
    page.keyboard.type(f"http://testserver/checkin/{code}")
    page.keyboard.press("Enter")

    # Locator waits, not wait_for_function: a string predicate is eval, which the CSP forbids.
    expect(page.locator("#count-signed")).to_have_text("1")
    assert page.locator("#count-pending").inner_text() == "1"
    assert page.locator(f"#person-{guest.pk}").get_attribute("data-state") == "signed"
    assert "王芳" in page.locator("#desk-result").inner_text()
    assert "签到" in page.locator("#desk-result").inner_text()
    # The field is empty and focused again for the next scan.
    assert scanner.input_value() == ""
    assert scanner.evaluate("el => el === document.activeElement")

    # The same badge again: told when, nothing doubled.
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_selector("#desk-result[data-created='0']")
    assert page.locator("#count-signed").inner_text() == "1"
    # Nothing spills sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # A second desk signs the other guest in: this desk catches up by itself (every 10 s).
    from meetops.attendance.services import sign_in as desk_sign_in

    other = meeting.participants.get(name="李强")
    desk_sign_in(meeting, participant=other, actor=organiser)
    expect(page.locator("#count-signed")).to_have_text("2", timeout=25_000)
    assert page.locator(f"#person-{other.pk}").get_attribute("data-state") == "signed"


def _qr_video(path: Any, text: str) -> None:
    """A short Y4M clip of the QR code, for chromium's fake camera."""
    import io

    import segno
    from PIL import Image

    png = io.BytesIO()
    segno.make(text, error="m").save(png, kind="png", scale=8, border=4)
    frame = Image.new("RGB", (640, 480), "white")
    code = Image.open(png).convert("RGB")
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (320, 240)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with open(path, "wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            out.write(b"FRAME\n" + planes)


def test_camera_reads_the_qr_code(
    tmp_path: Any,
    live_server: Any,
    transactional_db: Any,
    sign_in: Any,
    meeting_at_the_door: Any,
) -> None:
    """Chromium's fake camera shows the badge's QR code; jsQR reads it and the desk signs the guest in."""
    from pathlib import Path

    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    if not Path("src/meetops/core/static/vendor/jsQR.js").exists():
        pytest.skip("jsQR is not installed (make assets)")
    meeting, guest, code = meeting_at_the_door
    video = tmp_path / "qr.y4m"
    _qr_video(video, f"http://testserver/checkin/{code}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        context = browser.new_context(
            viewport={"width": 375, "height": 812}, base_url=live_server.url, locale="zh-CN"
        )
        context.set_default_timeout(15_000)
        context.grant_permissions(["camera"])
        page = context.new_page()
        sign_in(page, "organiser")
        page.goto(f"/meetings/{meeting.pk}/signin/")
        page.click("#camera-button")
        expect(page.locator("#count-signed")).to_have_text("1")
        assert page.locator(f"#person-{guest.pk}").get_attribute("data-state") == "signed"
        page.click("#camera-button")  # stops the camera
        browser.close()
    connections.close_all()
    from meetops.attendance.models import SignIn

    assert SignIn.objects.get().method == "qr_scan"


@pytest.mark.parametrize("referer", [True, False], ids=["referer", "no-referer"])
def test_without_javascript_a_refused_code_comes_back_to_be_corrected(
    browser: Any, live_server: Any, organiser: Any, meeting_at_the_door: Any, referer: bool
) -> None:
    """The desk's no-JavaScript fallback (ADR 0034): a mistyped code is refused by a redirect to
    the desk, which shows the message and the code again, even when the browser sends no
    Referer (the form names its page)."""
    from meetops.attendance.models import SignIn

    meeting, _guest, _code = meeting_at_the_door
    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        base_url=live_server.url,
        locale="zh-CN",
        java_script_enabled=False,
    )
    try:
        page = context.new_page()
        if not referer:
            page.route(
                "**/*",
                lambda route: route.continue_(
                    headers={k: v for k, v in route.request.headers.items() if k != "referer"}
                ),
            )
        page.goto("/login/")
        page.fill("#id_username", "organiser")
        page.fill("#id_password", "pw-test-123")
        page.click(".login-card button[type=submit]")
        page.wait_for_url("**/")
        desk = f"/meetings/{meeting.pk}/signin/"
        page.goto(desk)
        page.fill("#scan-input", "999 999")
        with page.expect_navigation():
            page.press("#scan-input", "Enter")
        assert page.url.endswith(desk)
        assert page.locator("#scan-input").input_value() == "999 999"
        assert page.locator('.flash.error[role="status"]').count() == 1  # the message
        page.reload()  # once: the next visit has an empty box for the next person
        assert page.locator("#scan-input").input_value() == ""
        assert not SignIn.objects.exists()
    finally:
        context.close()
