"""The main pages under the strict Content-Security-Policy, in a real chromium.

The demo organisation is loaded (its meetings sit in every stage, with data in every
app), and an administrator walks the pages people use most while the browser reports
every CSP violation and script error. htmx must still work without eval or inline
styles: the agenda is reordered by dragging, and a code scanned at the sign-in desk
updates the desk's live fragment.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo(transactional_db: Any) -> Any:
    from meetops.core.demo import load_demo

    return load_demo()


def _listen(page: Any) -> list[str]:
    """Collects a page's console errors (CSP violations among them, see conftest) and script errors."""
    problems: list[str] = []

    def collect(message: Any) -> None:
        # Pages without a <link rel=icon> (the Django admin) make chromium ask for one.
        favicon = message.location.get("url", "").endswith("/favicon.ico")
        if message.type == "error" and not favicon:
            problems.append(f"console {message.type}: {message.text} ({message.location})")

    page.on("console", collect)
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    return problems


def test_main_pages_work_with_no_csp_violation(open_page: Any, sign_in: Any, demo: Any) -> None:
    from playwright.sync_api import expect

    from meetops.attendance.models import SignIn
    from meetops.core.demo import DEMO_PASSWORD
    from meetops.evaluation.models import Respondent
    from meetops.invitations.models import Invitation

    q3 = demo.meetings["q3_review"]  # following up: minutes, seating, survey, live history
    planning = demo.meetings["digital_campus"]  # preparing: the agenda can still be edited
    running = demo.meetings["exam_coordination"]  # in progress: desk and console
    invitation = Invitation.objects.filter(participant__meeting=planning).first()
    respondent = Respondent.objects.filter(survey__meeting=q3, response__isnull=True).first()
    assert invitation is not None and respondent is not None

    page = open_page()
    problems = _listen(page)
    sign_in(page, "admin", DEMO_PASSWORD)
    assert page.evaluate("htmx.config.allowEval") is False

    pages = [
        "/",
        "/meetings/",
        f"/meetings/{q3.pk}/",
        f"/meetings/{q3.pk}/minutes/",
        f"/meetings/{q3.pk}/seating/",
        f"/meetings/{q3.pk}/survey/results/",
        f"/meetings/{q3.pk}/budget/",
        f"/meetings/{q3.pk}/budget/statement/",
        f"/meetings/{q3.pk}/risks/",
        f"/meetings/{q3.pk}/emergency-plan-print/",
        f"/meetings/{q3.pk}/report/",
        f"/meetings/{running.pk}/live/",
        f"/meetings/{running.pk}/live/timer",
        f"/meetings/{planning.pk}/people/",
        "/meetings/risks/",
        "/archive/",
        "/archive/?q=会议",
        "/notifications/",
        "/approvals/",
        "/followup/",
        "/lessons/",
        "/rooms/",
        "/audit/",
        "/api/v1/docs",
        "/admin/",
        "/admin/meetings/meeting/",
        f"/admin/meetings/meeting/{q3.pk}/change/",
    ]
    for path in pages:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert "script-src 'self'" in response.headers["content-security-policy"].split("; "), path

    # The bell asks for its count by htmx on load.
    with page.expect_response(lambda r: "/notifications/bell/" in r.url):
        page.goto("/")

    # The agenda editor: dragging the last item to the top saves the order (htmx.ajax).
    page.goto(f"/meetings/{planning.pk}/agenda/")
    rows = page.locator("tr[data-item-id]")
    first_id, last_id = (
        rows.first.get_attribute("data-item-id"),
        rows.last.get_attribute("data-item-id"),
    )
    with page.expect_response(lambda r: "/agenda/order/" in r.url):
        rows.last.drag_to(rows.first, target_position={"x": 40, "y": 3})
    expect(rows.first).to_have_attribute("data-item-id", last_id or "")
    assert first_id != last_id

    # The sign-in desk: a scanned code is posted by htmx and the live fragment updates.
    page.goto(f"/meetings/{running.pk}/signin/")
    before = SignIn.objects.filter(meeting=running, undone_at__isnull=True).count()
    pending = Invitation.objects.filter(
        participant__meeting=running, participant__signins__isnull=True
    ).first()
    assert pending is not None
    page.locator("#scan-input").fill(pending.checkin_code)
    page.locator("#scan-input").press("Enter")
    expect(page.locator("#desk-result")).to_have_attribute("data-created", "1")
    expect(page.locator("#count-signed")).to_have_text(str(before + 1))

    # Pages without a session: the RSVP page and the feedback form.
    guest = open_page()
    problems += _listen(guest)
    for path in (f"/rsvp/{invitation.token}", f"/feedback/{respondent.token}"):
        response = guest.goto(path)
        assert response is not None and response.status == 200, path
        guest.wait_for_load_state("networkidle")

    assert problems == []
