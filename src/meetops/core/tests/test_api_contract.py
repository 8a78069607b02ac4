"""Issue 14 findings 2-5: the API keeps its own contract, whatever arrives.

Every answer under /api/v1/ is JSON in the one error shape, with the status
the OpenAPI document promises; pagination is bounded; bodies too large are
413; the document itself names every schema once and every error status.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest
from django.test import Client

from meetops.config.api import api

pytestmark = pytest.mark.django_db


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


# --- pagination (finding 2) -----------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/waitlist", "/api/v1/external-venues", "/api/v1/rooms"])
@pytest.mark.parametrize(
    "params", [{"limit": 2**70}, {"offset": 2**70}, {"limit": 501}, {"limit": 0}, {"offset": -1}]
)
def test_pagination_out_of_range_is_422(api_as, organiser, path, params):
    _error(api_as(organiser).get(path, **params), 422, "invalid_input")


def test_every_paginated_operation_documents_bounded_limit_and_offset():
    unbounded = [
        f"{method.upper()} {path} {p['name']}"
        for path, item in api.get_openapi_schema()["paths"].items()
        for method, op in item.items()
        for p in op.get("parameters", [])
        if p["name"] in ("limit", "offset") and "maximum" not in p["schema"]
    ]
    assert unbounded == []


# --- sizes (finding 3) ------------------------------------------------------------------


def test_a_body_over_the_upload_limit_is_413_too_large(api_as, organiser, settings):
    payload = json.dumps({"title": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE * 2)})
    response = api_as(organiser).post("/api/v1/meetings", raw=payload)
    error = _error(response, 413, "too_large")
    assert error["details"]["limit"] == settings.DATA_UPLOAD_MAX_MEMORY_SIZE


# --- the error contract (finding 4) ------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing-here", "/api/v1/meetings/abc", "/api/v1/meetings/1/../../x", "/api/v1/"],
)
def test_unknown_or_malformed_paths_are_json_404(api_as, organiser, path):
    _error(api_as(organiser).get(path), 404, "not_found")


def test_a_wrong_method_is_json_405_with_allow(api_as, organiser):
    response = api_as(organiser).delete("/api/v1/me")
    _error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/v1/meetings"), ("post", "/api/v1/meetings"), ("patch", "/api/v1/rooms/1")],
)
def test_any_anonymous_call_is_401_not_authenticated(api_as, method, path):
    client = api_as(None)
    response = client.get(path) if method == "get" else getattr(client, method)(path)
    _error(response, 401, "not_authenticated")


def test_a_signed_in_browser_without_csrf_token_is_refused(organiser):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(organiser)
    body = {"title": "T", "kind": "regular"}
    response = browser.post("/api/v1/meetings", json.dumps(body), content_type="application/json")
    _error(response, 403, "csrf_failed")
    assert browser.get("/api/v1/me").status_code == 200


def test_a_signed_in_browser_with_its_csrf_token_may_write(organiser):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(organiser)
    browser.get("/")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    body = {
        "title": "T",
        "kind": "regular",
        "start": "2026-12-01T09:00:00+08:00",
        "end": "2026-12-01T10:00:00+08:00",
    }
    response = browser.post(
        "/api/v1/meetings",
        json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content


def test_field_errors_are_objects_on_improvements_too(api_as, organiser, make_meeting):
    meeting = make_meeting()
    response = api_as(organiser).post(
        "/api/v1/improvements",
        {
            "title": "   ",
            "meeting_id": meeting.pk,
            "due_date": "2026-12-01",
            "owner_id": organiser.pk,
        },
    )
    error = _error(response, 422, "invalid_input")
    assert error["details"]["fields"]
    for item in error["details"]["fields"]:
        assert {"field", "problem", "type"} <= set(item)


def _field_errors(error: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`details.fields` as the contract says: objects with field, problem and type, by field."""
    fields = error["details"]["fields"]
    assert isinstance(fields, list) and fields, error
    for item in fields:
        assert {"field", "problem", "type"} <= set(item), item
        assert all(isinstance(item[k], str) and item[k] for k in ("field", "problem", "type"))
    return {item["field"]: item for item in fields}


def test_a_service_naming_one_field_answers_in_the_same_fields_list(api_as, organiser):
    body = {
        "title": "T",
        "kind": "regular",
        "start": "2026-12-01T09:00:00+08:00",
        "end": "2026-12-01T10:00:00+08:00",
        "department_id": 999_999,
    }
    error = _error(api_as(organiser).post("/api/v1/meetings", body), 422, "unknown_department")
    named = _field_errors(error)
    assert named["department_id"]["type"] == "unknown_department"
    # The single key of the older answers stays for clients that read it.
    assert error["details"]["field"] == "department_id"


def test_a_partners_file_and_a_training_file_are_refused_in_one_shape(api_as, client, make_user):
    """Partners named its refused file as `field`, training as `fields`: both answer `fields`."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    keeper = make_user("keeper", roles=("admin",))
    api = api_as(keeper)
    supplier = api.post("/api/v1/partners/", {"name": "某某会务公司", "kind": "av"}).json()
    contract = api.post(
        f"/api/v1/partners/{supplier['id']}/contracts",
        {"number": "HT-9", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "amount": "1"},
    ).json()
    course = api.post("/api/v1/training/courses", {"title": "会务基础", "hours": 3}).json()
    exe = b"MZ\x90\x00"
    answers = {
        "bad_file": client.post(
            f"/api/v1/partners/contracts/{contract['id']}/file",
            {"file": SimpleUploadedFile("contract.pdf", exe)},
            headers=api.headers,
        ),
        "bad_material": client.post(
            f"/api/v1/training/courses/{course['id']}/materials",
            {"title": "讲义", "file": SimpleUploadedFile("slides.pdf", exe)},
            headers=api.headers,
        ),
    }
    for code, answer in answers.items():
        named = _field_errors(_error(answer, 422, code))
        assert list(named) == ["file"] and named["file"]["type"] == code


def test_each_refused_field_carries_its_own_reason(api_as, make_user):
    keeper = make_user("keeper", roles=("admin",))
    refused = api_as(keeper).post(
        "/api/v1/partners/", {"name": "某某会务公司", "kind": "av", "credit_code": "123"}
    )
    named = _field_errors(_error(refused, 422, "invalid_credit_code"))
    assert "18" in named["credit_code"]["problem"]


# --- the OpenAPI document (finding 5) ----------------------------------------------------


def _component_definitions() -> dict[str, list[Any]]:
    """Every schema name ninja saw, with each distinct definition given to it."""
    from ninja.openapi.schema import OpenAPISchema

    seen: dict[str, list[Any]] = defaultdict(list)
    original = OpenAPISchema.add_schema_definitions

    def spy(self: OpenAPISchema, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            if definition not in seen[name]:
                seen[name].append(definition)
        original(self, definitions)

    OpenAPISchema.add_schema_definitions = spy  # type: ignore[method-assign]
    try:
        api.get_openapi_schema()
    finally:
        OpenAPISchema.add_schema_definitions = original  # type: ignore[method-assign]
    return seen


def test_no_two_schemas_share_a_component_name():
    clashes = {name: len(defs) for name, defs in _component_definitions().items() if len(defs) > 1}
    assert clashes == {}


def test_every_operation_documents_its_error_statuses():
    missing = []
    schema = api.get_openapi_schema()
    for path, item in schema["paths"].items():
        for method, op in item.items():
            statuses = {str(s) for s in op["responses"]}
            authed = bool(op.get("security"))
            has_input = bool(op.get("parameters")) or "requestBody" in op
            wanted = (
                {"404"} | ({"401", "403"} if authed else set()) | ({"422"} if has_input else set())
            )
            for status in sorted(wanted - statuses):
                missing.append(f"{method.upper()} {path}: {status}")
            for status in wanted:
                ref = op["responses"].get(status, op["responses"].get(int(status), {}))
                content = ref.get("content", {}).get("application/json", {})
                if content.get("schema") != {"$ref": "#/components/schemas/ErrorOut"}:
                    missing.append(f"{method.upper()} {path}: {status} without ErrorOut")
    assert missing == []
    assert "ErrorOut" in schema["components"]["schemas"]


def test_times_of_day_match_their_schema(api_as, organiser):
    import re
    from datetime import time

    from meetops.venues.services.rooms import create_room

    room = create_room(actor=None, name="101", capacity=10, open_time=time(7), close_time=time(22))
    body = api_as(organiser).get(f"/api/v1/rooms/{room.pk}").json()
    open_time = api.get_openapi_schema()["components"]["schemas"]["RoomOut"]["properties"][
        "open_time"
    ]
    string = next(v for v in open_time.get("anyOf", [open_time]) if v.get("type") == "string")
    assert string.get("format") != "time"
    assert body["open_time"] == "07:00:00"
    assert re.fullmatch(string["pattern"], body["open_time"])


def test_ids_past_64_bits_are_404_in_paths_and_422_in_bodies(api_as, organiser):
    api = api_as(organiser)
    _error(api.get(f"/api/v1/meetings/{2**70}"), 404, "not_found")
    body = {"name": "0", "capacity": 3, "allowed_department_ids": [2**70]}
    _error(api.post("/api/v1/rooms", body), 422, "invalid_input")
