"""Playwright driving Debian's chromium against pytest-django's live server.

Without /usr/bin/chromium these tests skip, except in CI (env CI set), where
they must run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("MEETOPS_CHROMIUM", "/usr/bin/chromium"))
PASSWORD = "pw-test-123"

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make for set-up are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if os.access(CHROMIUM, os.X_OK) or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (CI unset)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def browser(transactional_db: Any) -> Iterator[Any]:
    """A chromium per test, started after the database is set up.

    Playwright's sync API keeps an event loop running in this thread, and
    Django's connections are context-local under a running loop: a browser
    kept for the whole session would make the serialized-rollback restore run
    on a different connection object than the one that holds the snapshot.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
        # Close the connections opened in the loop's context, or PostgreSQL
        # refuses to drop the test database at the end of the session.
        from django.db import connections

        connections.close_all()


# Every page reports Content-Security-Policy violations to the console, where the
# fixture below collects them: no browser test passes on a page the CSP broke.
REPORT_CSP_VIOLATIONS = (
    "document.addEventListener('securitypolicyviolation', e => console.error("
    "'CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + "
    "e.sourceFile + ':' + e.lineNumber));"
)


@pytest.fixture
def open_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """Opens pages at a given viewport; closes them after the test, failing it on a CSP violation."""
    contexts: list[Any] = []
    violations: list[str] = []

    def collect(message: Any) -> None:
        if "Content Security Policy" in message.text or "CSP violation" in message.text:
            violations.append(message.text)

    def make(width: int = 1280, height: int = 800, locale: str = "zh-CN") -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=live_server.url, locale=locale
        )
        context.set_default_timeout(15_000)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", collect)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert violations == [], "the Content-Security-Policy blocked something"


@pytest.fixture
def sign_in() -> Any:
    def login(page: Any, username: str, password: str = PASSWORD) -> None:
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click(".login-card button[type=submit]")
        page.wait_for_url("**/")

    return login
