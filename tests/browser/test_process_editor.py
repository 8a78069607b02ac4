"""The process editor on a 375-px phone in a real chromium: a step moves up within its stage
(htmx swaps the editor), and nothing runs off the screen (issue 16 finding 12)."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STEPS = "#stage-preparing li.editor-step"


def test_moving_a_step_up_within_its_stage_on_a_phone(open_page, sign_in, admin_user):
    from playwright.sync_api import expect

    from meetops.policy import editor

    draft = editor.start_draft(actor=admin_user)
    preparing = list(
        draft.steps.filter(stage="preparing").order_by("order").values_list("clause", flat=True)
    )
    page = open_page(width=375, height=800)
    sign_in(page, admin_user.username)
    page.goto("/process/editor/")
    expect(page.locator("h1")).to_have_text("流程编辑")
    clauses = page.locator(STEPS)
    expect(clauses.first).to_have_attribute("data-clause", preparing[0])

    page.locator(f"{STEPS}[data-clause='{preparing[1]}'] button[value=up]").click()
    expect(clauses.first).to_have_attribute("data-clause", preparing[1])
    expect(clauses.nth(1)).to_have_attribute("data-clause", preparing[0])
    # The first step of the stage cannot go up: it never leaves its stage.
    expect(page.locator(f"{STEPS}[data-clause='{preparing[1]}'] button[value=up]")).to_be_disabled()
    saved = draft.steps.filter(stage="preparing").order_by("order")
    assert list(saved.values_list("clause", flat=True))[:2] == [preparing[1], preparing[0]]

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
