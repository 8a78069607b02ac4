"""At 375 px in a real chromium: a department head reads their department's training coverage,
and a staff member enters an external training, refused first for a certificate that is not a
PDF or image, beside the field."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_coverage_and_an_external_training_on_a_phone(open_page, sign_in, make_user, tmp_path):
    from playwright.sync_api import expect

    from meetops.people.services import create_department, set_department_heads
    from meetops.training.models import ExternalTraining

    office = create_department(name="办公室", actor=None)
    head = make_user("head", department=office)
    make_user("clerk", roles=("staff",), department=office, display_name="陈静")
    set_department_heads(office, heads=[head], actor=None)

    page = open_page(375, 812)
    sign_in(page, "head")
    page.goto("/training/")
    expect(page.locator("#coverage")).to_contain_text("办公室")
    expect(page.locator("#to-train")).to_contain_text("陈静")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.context.clear_cookies()
    sign_in(page, "clerk")
    page.goto("/training/records/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.fill("#id_title", "接待礼仪")
    page.fill("#id_issuer", "培训中心")
    page.fill("#id_completed_on", "2026-03-02")
    page.fill("#id_hours", "3.5")
    page.get_by_label("签到与会务接待培训").check()
    fake = tmp_path / "cert.pdf"
    fake.write_bytes(b"MZ not a pdf")
    page.set_input_files("#id_certificate", str(fake))
    page.locator("#record-form button[type=submit]").click()
    expect(page.locator("#record-form")).to_contain_text("PDF、PNG 或 JPEG")
    assert not ExternalTraining.objects.exists()
    real = tmp_path / "certificate.pdf"
    real.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.set_input_files("#id_certificate", str(real))
    page.locator("#record-form button[type=submit]").click()
    expect(page.locator("#mine")).to_contain_text("接待礼仪")
    assert ExternalTraining.objects.get().status == "pending"
