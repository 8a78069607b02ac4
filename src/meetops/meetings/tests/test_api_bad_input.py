"""Bad input to any meetings endpoint gets the one error shape with a 4xx, never a 500.

Each case runs on its own, so on PostgreSQL a database error in one case could
not hide behind an aborted transaction from another.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

START = "2026-12-01T09:00:00+08:00"
END = "2026-12-01T11:00:00+08:00"
NEW = {"title": "x", "start": START, "end": END}
HUGE = 10**30
BIGINT_PLUS_ONE = 2**63

# (method, path with {m} and {s}, JSON body or query params, expected status, expected code or None)
CASES = [
    # list
    ("get", "/api/v1/meetings", {"stage": "flying"}, 422, "invalid_input"),
    ("get", "/api/v1/meetings", {"start_after": "not a date"}, 422, "invalid_input"),
    # Outside the date window (issue 14): its own code, naming the field.
    ("get", "/api/v1/meetings", {"start_after": "9999-12-31T23:59:59-12:00"}, 422, "invalid_date"),
    ("get", "/api/v1/meetings", {"limit": "-1"}, 422, "invalid_input"),
    ("get", "/api/v1/meetings", {"limit": str(HUGE)}, 422, "invalid_input"),
    ("get", "/api/v1/meetings", {"offset": str(HUGE)}, 422, "invalid_input"),
    ("get", "/api/v1/meetings", {"offset": "abc"}, 422, "invalid_input"),
    ("get", "/api/v1/meetings", {"q": "x" * 50_000}, 422, "invalid_input"),
    ("get", "/api/v1/meetings", {"q": "a\x00b"}, 422, "invalid_input"),
    ("get", "/api/v1/meetings", {"kind": "x" * 5000}, 422, "invalid_input"),
    # read
    ("get", f"/api/v1/meetings/{HUGE}", None, 404, "not_found"),
    ("get", f"/api/v1/meetings/{BIGINT_PLUS_ONE}", None, 404, "not_found"),
    ("get", f"/api/v1/meetings/{HUGE}/steps", None, 404, "not_found"),
    ("get", "/api/v1/meetings/0", None, 404, "not_found"),
    # create
    ("post", "/api/v1/meetings", {"title": "x", "start": START}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "title": 12}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "title": ["a"]}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "title": "x" * 50_000}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "title": "a\x00b"}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "goals": "\x00"}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "start": END, "end": START}, 422, "end_before_start"),
    ("post", "/api/v1/meetings", {**NEW, "end": START}, 422, "end_before_start"),
    (
        "post",
        "/api/v1/meetings",
        {**NEW, "start": "9999-12-31T23:59:59+14:00", "end": "9999-12-31T23:59:59-12:00"},
        422,
        "invalid_date",
    ),
    (
        "post",
        "/api/v1/meetings",
        {**NEW, "start": "0001-01-01T00:00:00+14:00"},
        422,
        "invalid_date",
    ),
    ("post", "/api/v1/meetings", {**NEW, "start": HUGE}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "start": 1e300}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "kind": "nope"}, 422, "unknown_kind"),
    ("post", "/api/v1/meetings", {**NEW, "kind": "x" * 5000}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "confidentiality": "secret"}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "format": "telepathy"}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "expected_attendance": HUGE}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "expected_attendance": -5}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "expected_attendance": 1e308}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "department_id": HUGE}, 422, "invalid_input"),
    ("post", "/api/v1/meetings", {**NEW, "department_id": 2**62}, 422, "unknown_department"),
    ("post", "/api/v1/meetings", {**NEW, "online_url": "javascript:alert(1)"}, 422, "invalid_url"),
    ("post", "/api/v1/meetings", {**NEW, "online_url": "not a url"}, 422, "invalid_url"),
    (
        "post",
        "/api/v1/meetings",
        {**NEW, "start": "2026-12-01T09:00:00", "end": "2026-12-01T10:00:00"},
        422,
        "naive_datetime",
    ),
    ("post", "/api/v1/meetings", [NEW], 422, "invalid_input"),
    ("post", "/api/v1/meetings", "a string", 422, "invalid_input"),
    # update
    ("patch", "/api/v1/meetings/{m}", {"title": 5}, 422, "invalid_input"),
    ("patch", "/api/v1/meetings/{m}", {"title": None}, 422, "invalid_input"),
    ("patch", "/api/v1/meetings/{m}", {"start": None}, 422, "invalid_input"),
    ("patch", "/api/v1/meetings/{m}", {"goals": None}, 422, "invalid_input"),
    ("patch", "/api/v1/meetings/{m}", {"confidentiality": None}, 422, "invalid_input"),
    ("patch", "/api/v1/meetings/{m}", {"kind": None}, 422, "invalid_input"),
    ("patch", "/api/v1/meetings/{m}", {"title": "  "}, 422, "title_required"),
    ("patch", "/api/v1/meetings/{m}", {"title": "x" * 50_000}, 422, "invalid_input"),
    ("patch", "/api/v1/meetings/{m}", {"start": END, "end": START}, 422, "end_before_start"),
    (
        "patch",
        "/api/v1/meetings/{m}",
        {"end": "2020-01-01T00:00:00+00:00"},
        422,
        "end_before_start",
    ),
    ("patch", "/api/v1/meetings/{m}", {"expected_attendance": HUGE}, 422, "invalid_input"),
    ("patch", "/api/v1/meetings/{m}", {"department_id": HUGE}, 422, "invalid_input"),
    ("patch", "/api/v1/meetings/{m}", {"department_id": BIGINT_PLUS_ONE}, 422, "invalid_input"),
    ("patch", "/api/v1/meetings/{m}", {"online_url": "javascript:alert(1)"}, 422, "invalid_url"),
    ("patch", "/api/v1/meetings/{m}", {"format": "telepathy"}, 422, "invalid_input"),
    ("patch", "/api/v1/meetings/{m}", {"description": "a\x00b"}, 422, "invalid_input"),
    ("patch", f"/api/v1/meetings/{HUGE}", {"title": "x"}, 404, "not_found"),
    # transitions
    ("post", "/api/v1/meetings/{m}/transitions", {"to": "flying"}, 422, "unknown_stage"),
    ("post", "/api/v1/meetings/{m}/transitions", {"to": 5}, 422, "invalid_input"),
    ("post", "/api/v1/meetings/{m}/transitions", {"to": None}, 422, "invalid_input"),
    ("post", "/api/v1/meetings/{m}/transitions", {}, 422, "invalid_input"),
    ("post", "/api/v1/meetings/{m}/transitions", {"to": "x" * 50_000}, 422, "invalid_input"),
    (
        "post",
        "/api/v1/meetings/{m}/transitions",
        {"to": "preparing", "override_reason": "x" * 50_000},
        422,
        "invalid_input",
    ),
    (
        "post",
        "/api/v1/meetings/{m}/transitions",
        {"to": "preparing", "override_reason": "\x00"},
        422,
        "invalid_input",
    ),
    ("post", "/api/v1/meetings/{m}/transitions", {"to": "closed"}, 409, "invalid_transition"),
    (
        "post",
        f"/api/v1/meetings/{BIGINT_PLUS_ONE}/transitions",
        {"to": "preparing"},
        404,
        "not_found",
    ),
    # steps
    ("post", "/api/v1/meetings/{m}/steps/{s}/complete", {"note": 5}, 422, "invalid_input"),
    (
        "post",
        "/api/v1/meetings/{m}/steps/{s}/complete",
        {"note": "x" * 50_000},
        422,
        "invalid_input",
    ),
    ("post", "/api/v1/meetings/{m}/steps/{s}/complete", {"note": "a\x00b"}, 422, "invalid_input"),
    ("post", f"/api/v1/meetings/{{m}}/steps/{HUGE}/complete", {"note": "x"}, 404, "not_found"),
    (
        "post",
        f"/api/v1/meetings/{{m}}/steps/{BIGINT_PLUS_ONE}/waive",
        {"reason": "x"},
        404,
        "not_found",
    ),
    ("post", "/api/v1/meetings/{m}/steps/{s}/waive", {}, 422, "invalid_input"),
    ("post", "/api/v1/meetings/{m}/steps/{s}/waive", {"reason": "  "}, 422, "reason_required"),
    # audit
    ("get", "/api/v1/audit", {"since": "garbage"}, 422, "invalid_input"),
    ("get", "/api/v1/audit", {"until": "0001-01-01T00:00:00+14:00"}, 422, "invalid_date"),
    ("get", "/api/v1/audit", {"limit": str(HUGE)}, 422, "invalid_input"),
    ("get", "/api/v1/audit", {"object_id": "x" * 500}, 422, "invalid_input"),
    ("get", "/api/v1/audit", {"actor": "a\x00b"}, 422, "invalid_input"),
]


def _id(case) -> str:
    method, path, data, _status, code = case
    return f"{method}-{path.split('/api/v1/')[1][:30]}-{code}-{str(data)[:40]}"


@pytest.fixture
def target(api_as, organiser, make_meeting):
    meeting = make_meeting()
    return api_as(organiser), meeting, meeting.steps.order_by("order").first()


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_bad_input_gets_the_error_shape_never_a_500(target, case):
    api, meeting, step = target
    method, path, data, status, code = case
    path = path.replace("{m}", str(meeting.pk)).replace("{s}", str(step.pk))
    response = (
        api.get(path, **(data or {})) if method == "get" else getattr(api, method)(path, data)
    )
    assert response.status_code == status, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and isinstance(error["details"], dict)


BROKEN_BODIES = ["{not json", "[1,2", '{"title": "x",}', "\xff\xfe", ""]
# Valid JSON, but not an object of the right fields: whatever the answer, never a 500.
ODD_BODIES = [
    "null",
    "[]",
    "5",
    "1e999999",
    '"text"',
    '{"title": "\\ud800"}',
    '{"note": {"a": [1]}}',
]
ENDPOINTS = [
    ("post", "/api/v1/meetings"),
    ("patch", "/api/v1/meetings/{m}"),
    ("post", "/api/v1/meetings/{m}/transitions"),
    ("post", "/api/v1/meetings/{m}/steps/{s}/complete"),
    ("post", "/api/v1/meetings/{m}/steps/{s}/waive"),
]


def _send_raw(target, method: str, path: str, raw: str):
    api, meeting, step = target
    path = path.replace("{m}", str(meeting.pk)).replace("{s}", str(step.pk))
    return getattr(api, method)(path, raw=raw)


@pytest.mark.parametrize("raw", BROKEN_BODIES)
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_broken_json_is_a_4xx_in_the_error_shape(target, method, path, raw):
    response = _send_raw(target, method, path, raw)
    assert 400 <= response.status_code < 500, response.content[:300]
    assert response.json()["error"]["code"] in ("bad_request", "invalid_input")


@pytest.mark.parametrize("raw", ODD_BODIES)
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_odd_json_is_never_a_500(target, method, path, raw):
    response = _send_raw(target, method, path, raw)
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "details"}


def test_unknown_fields_are_ignored_not_stored(target):
    api, meeting, _step = target
    response = api.patch(
        f"/api/v1/meetings/{meeting.pk}", {"titel": "typo", "stage": "closed", "id": 99}
    )
    assert response.status_code == 200
    assert response.json()["stage"] == "draft" and response.json()["id"] == meeting.pk
    created = api.post("/api/v1/meetings", {**NEW, "stage": "closed", "created_by": 1})
    assert created.status_code == 201 and created.json()["stage"] == "draft"


def test_a_failed_update_changes_nothing(target):
    api, meeting, _step = target
    api.patch(
        f"/api/v1/meetings/{meeting.pk}", {"title": "新标题", "end": "2020-01-01T00:00:00+00:00"}
    )
    meeting.refresh_from_db()
    assert meeting.title == "周例会"
