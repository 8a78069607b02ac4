"""The register's API: suppliers, contracts, qualifications, ratings and a meeting's suppliers,
in the one error shape, with the personas, and in the OpenAPI document."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetops.partners.models import Engagement, Rating, Supplier
from meetops.partners.tests.conftest import CODE

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_keeper_builds_a_supplier_through_the_api(api_as, keeper, client):
    api = api_as(keeper)
    response = api.post(
        "/api/v1/partners/",
        {
            "name": "锦程会务服务有限公司",
            "kind": "catering",
            "credit_code": CODE.lower(),
            "contacts": [{"name": "孟小姐", "phone": "139 0000 5678"}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["credit_code"] == CODE and body["contacts"][0]["name"] == "孟小姐"
    assert body["ratings"] == {
        "count": 0,
        "quality": None,
        "punctuality": None,
        "price": None,
        "overall": None,
    }
    pk = body["id"]
    assert api.patch(f"/api/v1/partners/{pk}", {"address": "南京"}).json()["address"] == "南京"
    contract = api.post(
        f"/api/v1/partners/{pk}/contracts",
        {
            "number": "HT-1",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "amount": "12,000",
        },
    )
    assert contract.status_code == 201 and contract.json()["amount"] == "12000.00"
    refused = api.patch(
        f"/api/v1/partners/contracts/{contract.json()['id']}", {"ends_on": "2025-01-01"}
    )
    assert refused.status_code == 422
    assert [f["field"] for f in refused.json()["error"]["details"]["fields"]] == ["ends_on"]
    qualification = api.post(
        f"/api/v1/partners/{pk}/qualifications",
        {"title": "食品经营许可证", "expires_on": "2027-06-30"},
    ).json()
    upload = client.post(
        f"/api/v1/partners/qualifications/{qualification['id']}/file",
        {"file": SimpleUploadedFile("licence.pdf", PDF)},
        headers=api.headers,
    )
    assert upload.status_code == 200 and upload.json()["has_file"] is True
    assert [c["number"] for c in api.get(f"/api/v1/partners/{pk}/contracts").json()] == ["HT-1"]
    assert len(api.get(f"/api/v1/partners/{pk}/qualifications").json()) == 1
    listed = api.get("/api/v1/partners/", q="锦程").json()
    assert [s["id"] for s in listed["items"]] == [pk]


def test_organisers_read_members_do_not_and_nobody_else_writes(api_as, organiser, member, supplier):
    assert api_as(organiser).get(f"/api/v1/partners/{supplier.pk}").status_code == 200
    assert api_as(member).get(f"/api/v1/partners/{supplier.pk}").status_code == 404
    assert api_as(member).get("/api/v1/partners/").json()["items"] == []
    response = api_as(organiser).post("/api/v1/partners/", {"name": "某公司"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert Supplier.objects.count() == 1


def test_a_meeting_links_and_rates_its_supplier(api_as, organiser, held, supplier):
    api = api_as(organiser)
    link = api.post(
        f"/api/v1/partners/meetings/{held.pk}/links",
        {"supplier_id": supplier.pk, "supplied": "音响"},
    )
    assert link.status_code == 201
    again = api.post(
        f"/api/v1/partners/meetings/{held.pk}/links",
        {"supplier_id": supplier.pk, "supplied": "音响"},
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_linked"
    rating = api.post(
        f"/api/v1/partners/{supplier.pk}/ratings",
        {"meeting_id": held.pk, "quality": 5, "punctuality": 4, "price": 3, "comment": "好"},
    )
    assert rating.status_code == 201
    rating_id = rating.json()["id"]
    changed = api.patch(f"/api/v1/partners/ratings/{rating_id}", {"price": 4})
    assert changed.json()["price"] == 4
    links = api.get(f"/api/v1/partners/meetings/{held.pk}/links").json()
    assert [(x["supplier_id"], x["rating_id"]) for x in links] == [(supplier.pk, rating_id)]
    got = api.get(f"/api/v1/partners/{supplier.pk}").json()["ratings"]
    assert got["count"] == 1 and got["overall"] == 4.33
    refused = api.delete(f"/api/v1/partners/meetings/{held.pk}/links/{links[0]['id']}")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "already_rated"
    assert Engagement.objects.count() == 1 and Rating.objects.count() == 1


def test_ratings_of_a_meeting_one_cannot_see_stay_hidden(
    api_as, organiser, make_user, make_meeting, supplier
):
    from meetops.partners import services
    from meetops.partners.tests.conftest import set_stage

    secret = set_stage(
        make_meeting(title="机密评审会", confidentiality="confidential"), "concluded"
    )
    services.link_supplier(secret, supplier=supplier, supplied="茶歇", actor=organiser)
    rating = services.rate_supplier(
        secret, supplier=supplier, actor=organiser, quality=1, punctuality=1, price=1
    )
    other = api_as(make_user("other-organiser", roles=("organiser",)))
    assert other.get(f"/api/v1/partners/{supplier.pk}/ratings").json() == []
    assert other.get(f"/api/v1/partners/{supplier.pk}").json()["ratings"]["count"] == 1
    assert other.patch(f"/api/v1/partners/ratings/{rating.pk}", {"price": 5}).status_code == 404
    assert "机密评审会" not in other.get(f"/api/v1/partners/{supplier.pk}").content.decode()


def test_the_operations_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/partners/",
        "/api/v1/partners/{supplier_id}",
        "/api/v1/partners/{supplier_id}/contracts",
        "/api/v1/partners/{supplier_id}/qualifications",
        "/api/v1/partners/{supplier_id}/ratings",
        "/api/v1/partners/ratings/{rating_id}",
        "/api/v1/partners/meetings/{meeting_id}/links",
    ):
        assert path in paths, path


def test_a_contract_file_that_is_not_what_it_says_is_refused_in_the_one_error_shape(
    api_as, keeper, client, supplier
):
    api = api_as(keeper)
    contract = api.post(
        f"/api/v1/partners/{supplier.pk}/contracts",
        {"number": "HT-9", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "amount": "1"},
    ).json()
    url = f"/api/v1/partners/contracts/{contract['id']}/file"
    refused = client.post(
        url, {"file": SimpleUploadedFile("contract.pdf", b"MZ\x90\x00")}, headers=api.headers
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "bad_file"
    assert api.get(f"/api/v1/partners/{supplier.pk}/contracts").json()[0]["has_file"] is False
    taken = client.post(url, {"file": SimpleUploadedFile("contract.pdf", PDF)}, headers=api.headers)
    assert taken.status_code == 200 and taken.json()["has_file"] is True


def test_a_refused_contact_leaves_no_supplier_behind_and_no_change_half_made(
    api_as, keeper, supplier
):
    api = api_as(keeper)
    nameless = [{"name": "孟小姐"}]  # neither a phone nor an e-mail: refused by the service
    refused = api.post("/api/v1/partners/", {"name": "新供应商", "contacts": nameless})
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "invalid_input"
    assert not Supplier.objects.filter(name="新供应商").exists()

    refused = api.patch(
        f"/api/v1/partners/{supplier.pk}", {"address": "苏州", "contacts": nameless}
    )
    assert refused.status_code == 422
    supplier.refresh_from_db()
    assert supplier.address != "苏州"


def test_a_link_naming_a_contract_that_is_not_there_is_refused_not_saved_without_it(
    api_as, organiser, held, supplier
):
    answer = api_as(organiser).post(
        f"/api/v1/partners/meetings/{held.pk}/links",
        {"supplier_id": supplier.pk, "supplied": "音响", "contract_id": 987654},
    )
    assert answer.status_code == 422
    assert [f["field"] for f in answer.json()["error"]["details"]["fields"]] == ["contract_id"]
    assert not Engagement.objects.filter(meeting=held).exists()
