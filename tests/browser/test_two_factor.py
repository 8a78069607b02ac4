"""Two-factor sign-in in a real chromium (issue 11 #7): an administrator sets up TOTP from the
key the page shows, signs out, and signs in again with a code; on a phone-width screen too."""

from __future__ import annotations

from base64 import b32decode
from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _code(key: str, steps_ahead: int = 0) -> str:
    from django_otp.oath import totp

    secret = b32decode(key.replace(" ", "") + "=" * (-len(key.replace(" ", "")) % 8))
    return f"{totp(secret, drift=steps_ahead):06d}"


def _password(page: Any, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-test-123")
    page.click(".login-card button[type=submit]")


@pytest.mark.parametrize("width", [1280, 375])
def test_an_administrator_sets_up_totp_and_signs_in_with_a_code(
    open_page: Any, make_user: Any, settings: Any, width: int
) -> None:
    from playwright.sync_api import expect

    settings.MEETOPS_ADMIN_2FA = True
    make_user("root", roles=("admin",))
    page = open_page(width=width, height=800 if width > 400 else 740)

    _password(page, "root")
    page.wait_for_url("**/me/two-factor/**")
    expect(page.locator("img.totp-qr")).to_be_visible()
    key = page.locator("#totp-key").inner_text()
    page.goto("/meetings/")  # nothing else opens before the second factor is set up
    page.wait_for_url("**/me/two-factor/**")
    page.fill("#id_token", _code(key))
    page.click("#two-factor button[type=submit]")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.click("#two-factor a.button")
    page.wait_for_url("**/meetings/")

    if width < 600:  # the menu folds away on a phone
        page.click("label.menu-button")
    page.click("header form[action='/logout/'] button")
    page.wait_for_url("**/login/")
    _password(page, "root")
    page.wait_for_url("**/login/verify/**")
    page.fill("#id_token", "000000")
    page.click("#two-factor-verify button[type=submit]")
    expect(page.locator("#two-factor-verify .flash.error")).to_be_visible()
    page.wait_for_timeout(1200)  # a wrong code slows the next try down by a second
    # The next step's code: inside the tolerance, and never the one used at setup.
    page.fill("#id_token", _code(key, 1))
    page.click("#two-factor-verify button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    expect(page.locator("main")).to_be_visible()
