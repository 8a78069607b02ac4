"""On a phone: an organiser links a supplier to the meeting that took place, rates it, and
finds the rating on the supplier's page; no page of the register scrolls sideways."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDE = "document.documentElement.scrollWidth"


def test_link_and_rate_a_supplier_on_a_phone(
    open_page, sign_in, organiser, admin_user, make_meeting
):
    from playwright.sync_api import expect

    from meetops.meetings.models import Meeting
    from meetops.partners import services
    from meetops.partners.models import Rating

    supplier = services.save_supplier(
        None,
        actor=admin_user,
        name="锦程会务服务有限公司",
        kind="catering",
        credit_code="91110000600037341L",
    )
    services.add_contact(supplier, actor=admin_user, name="孟小姐", phone="139 0000 5678")
    meeting = make_meeting(title="手机评价会")
    Meeting.objects.filter(pk=meeting.pk).update(stage="concluded")
    page = open_page(width=375, height=740)
    sign_in(page, organiser.username)
    page.goto(f"/meetings/{meeting.pk}/suppliers/")
    page.select_option("#id_supplier", str(supplier.pk))
    page.fill("#id_supplied", "茶歇 60 人")
    page.locator("#link-form button[type=submit]").click()
    prefix = f"#id_s{supplier.pk}"
    page.select_option(f"{prefix}-quality", "4")
    page.select_option(f"{prefix}-punctuality", "5")
    page.select_option(f"{prefix}-price", "3")
    page.locator(".rating-form button[type=submit]").click()
    expect(page.locator("#links .rating")).to_have_count(1)
    assert Rating.objects.get().author == organiser
    assert page.evaluate(WIDE) <= 375 + 1
    for url in ("/partners/", f"/partners/{supplier.pk}/"):
        page.goto(url)
        assert page.evaluate(WIDE) <= 375 + 1, url
    expect(page.locator("#rating-history li")).to_have_count(1)
