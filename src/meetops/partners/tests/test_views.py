"""The register's pages: personas, the supplier page's averages and history, the meeting's
suppliers page (link, rate, change one's rating), files, and the list's query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetops.partners import services
from meetops.partners.models import Contract, Engagement, Rating
from meetops.partners.tests.conftest import set_stage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _page(client, url):
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_the_register_is_for_keepers_organisers_and_leaders(
    client, keeper, organiser, leader, member, supplier
):
    for user in (keeper, organiser, leader):
        client.force_login(user)
        assert supplier.name in _page(client, "/partners/")
    client.force_login(member)
    assert client.get("/partners/").status_code == 403
    assert client.get(f"/partners/{supplier.pk}/").status_code == 404
    assert "/partners/" not in client.get("/").content.decode()


def test_a_keeper_adds_a_supplier_contract_and_file_on_the_pages(client, keeper):
    client.force_login(keeper)
    response = client.post(
        "/partners/new/", {"name": "金陵会议中心", "kind": "venue", "active": "on"}
    )
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    response = client.post(
        f"/partners/{pk}/contracts/",
        {
            "number": "JL-1",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "amount": "４８,０００",
            "file": SimpleUploadedFile("contract.pdf", PDF),
        },
    )
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert str(contract.amount) == "48000.00" and contract.file_type == "application/pdf"
    download = client.get(f"/partners/contracts/{contract.pk}/file")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    page = _page(client, f"/partners/{pk}/")
    assert "JL-1" in page and "¥48,000.00" in page


def test_an_organiser_reads_but_gets_no_keeper_forms(client, organiser, supplier):
    client.force_login(organiser)
    page = _page(client, f"/partners/{supplier.pk}/")
    assert 'id="contract-form"' not in page and f"/partners/{supplier.pk}/edit/" not in page
    assert client.get(f"/partners/{supplier.pk}/edit/").status_code == 403
    client.post(f"/partners/{supplier.pk}/contacts/", {"name": "x", "phone": "1"})
    assert not supplier.contacts.exists()


def test_the_meeting_page_links_rates_and_shows_the_choice_standing(
    client, organiser, held, supplier, add_supplier, add_contract
):
    lapsed = add_supplier("过期饭店", kind="venue")
    add_contract(lapsed, timezone.localdate() - timedelta(days=2))
    client.force_login(organiser)
    page = _page(client, f"/meetings/{held.pk}/suppliers/")
    assert "过期饭店 · Venue · not rated yet · contract expired" in page
    response = client.post(
        f"/meetings/{held.pk}/suppliers/link/", {"supplier": supplier.pk, "supplied": "音响"}
    )
    assert response.status_code == 302
    link = Engagement.objects.get()
    prefix = f"s{supplier.pk}"
    client.post(
        f"/meetings/{held.pk}/suppliers/{link.pk}/rate/",
        {f"{prefix}-quality": "4", f"{prefix}-punctuality": "5", f"{prefix}-price": "3"},
    )
    client.post(
        f"/meetings/{held.pk}/suppliers/{link.pk}/rate/",
        {f"{prefix}-quality": "2", f"{prefix}-punctuality": "5", f"{prefix}-price": "3"},
    )
    rating = Rating.objects.get()
    assert (rating.quality, rating.author) == (2, organiser)
    page = _page(client, f"/meetings/{held.pk}/suppliers/")
    assert "华音视听设备有限公司 · Audio-visual · ★ 3.3 (1)" in page
    detail = _page(client, f"/partners/{supplier.pk}/")
    assert held.title in detail and "★ 3.3" in detail


def test_the_supplier_page_names_no_meeting_the_reader_cannot_see(
    client, organiser, make_user, make_meeting, supplier
):
    secret = set_stage(
        make_meeting(title="机密评审会", confidentiality="confidential"), "concluded"
    )
    services.link_supplier(secret, supplier=supplier, supplied="茶歇", actor=organiser)
    services.rate_supplier(
        secret, supplier=supplier, actor=organiser, quality=5, punctuality=5, price=5
    )
    client.force_login(make_user("other-organiser", roles=("organiser",)))
    page = _page(client, f"/partners/{supplier.pk}/")
    assert "机密评审会" not in page and "★ 5.0" in page
    assert client.get(f"/meetings/{secret.pk}/suppliers/").status_code == 404


def test_a_meeting_member_sees_no_suppliers_link_and_is_refused(
    client, organiser, member, held, used
):
    from meetops.meetings.services import add_participant

    add_participant(held, actor=organiser, user=member, role="participant")
    client.force_login(member)
    assert f"/meetings/{held.pk}/suppliers/" not in _page(client, f"/meetings/{held.pk}/")
    assert client.get(f"/meetings/{held.pk}/suppliers/").status_code == 403
    client.force_login(organiser)
    assert f"/meetings/{held.pk}/suppliers/" in _page(client, f"/meetings/{held.pk}/")


def test_the_register_list_query_count_does_not_grow(
    client, organiser, add_supplier, add_contract, django_assert_max_num_queries
):
    client.force_login(organiser)
    for n in range(3):
        add_contract(add_supplier(f"公司{n}"), timezone.localdate(), number=f"HT-{n}")
    client.get("/partners/")
    with django_assert_max_num_queries(12) as few:
        client.get("/partners/")
    for n in range(3, 13):
        add_contract(add_supplier(f"公司{n}"), timezone.localdate(), number=f"HT-{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/partners/").status_code == 200


def test_a_system_administrator_appoints_a_keeper_on_the_page(client, admin_user, organiser):
    client.force_login(admin_user)
    response = client.post("/partners/managers/", {"username": organiser.username})
    assert response.status_code == 302
    assert organiser.username in _page(client, "/partners/managers/") or str(organiser) in _page(
        client, "/partners/managers/"
    )
    client.force_login(organiser)
    assert client.get("/partners/new/").status_code == 200
    assert client.get("/partners/managers/").status_code == 403


def test_a_contract_or_supplier_saved_as_it_was_writes_nothing_and_says_so(client, keeper):
    """The same values sent back: no audit entry, and the page says 未作修改."""
    from meetops.core.models import AuditEntry

    client.force_login(keeper)
    supplier = {"name": "金陵会议中心", "kind": "venue", "active": "on"}
    pk = int(client.post("/partners/new/", supplier)["Location"].rstrip("/").rsplit("/", 1)[-1])
    terms = {"number": "JL-1", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    client.post(f"/partners/{pk}/contracts/", {**terms, "amount": "48000"})
    contract = Contract.objects.get()
    zh = {"Accept-Language": "zh-hans"}
    page = client.post(
        f"/partners/contracts/{contract.pk}/",
        {**terms, "amount": "４８,０００"},
        follow=True,
        headers=zh,
    )
    assert "未作修改" in page.content.decode()
    assert not AuditEntry.objects.filter(action="partners.contract.updated").exists()
    page = client.post(f"/partners/{pk}/edit/", supplier, follow=True, headers=zh)
    assert "未作修改" in page.content.decode()
    assert not AuditEntry.objects.filter(action="partners.supplier.updated").exists()
    page = client.post(
        f"/partners/contracts/{contract.pk}/", {**terms, "amount": "50000"}, follow=True, headers=zh
    )
    assert "未作修改" not in page.content.decode()
    assert AuditEntry.objects.filter(action="partners.contract.updated").count() == 1
