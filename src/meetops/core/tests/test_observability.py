"""/metrics (Prometheus, bearer token), /readyz apart from /healthz, and request ids on logs."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.db import transaction

from meetops.core.logs import JsonFormatter, RequestIdFilter
from meetops.core.scheduler import JOBS, periodic, run_due_jobs

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-metrics-token"


@pytest.fixture
def metrics_on(settings: Any) -> str:
    settings.MEETOPS_METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client: Any) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one series in the exposition, by name and labels."""
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    line = f"{name}{{{want}}} " if labels else f"{name} "
    for row in text.splitlines():
        if row.startswith(line):
            return float(row.split()[-1])
    raise AssertionError(f"no {line!r} in the metrics")


def test_without_a_token_there_is_no_metrics_page(client: Any, settings: Any) -> None:
    settings.MEETOPS_METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 404


def test_a_wrong_or_missing_token_is_401_in_the_error_shape(client: Any, metrics_on: str) -> None:
    for header in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong"}, {"HTTP_AUTHORIZATION": TOKEN}):
        response = client.get("/metrics", **header)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_metrics_count_requests_queues_per_lane_sends_and_jobs(
    client: Any, metrics_on: str, settings: Any
) -> None:
    from meetops.notifications import services

    settings.MEETOPS_BULK_FROM = 2
    client.get("/healthz")
    with transaction.atomic():
        services.enqueue_emails(
            {"to": f"p{i}@example.org", "subject": "s", "text": "t", "event": "meeting.invited"}
            for i in range(3)
        )
        services.enqueue_email(to="a@example.org", subject="s", text="t", event="meeting.reminder")
    periodic(every_seconds=600, name="test.metered")(lambda: None)
    try:
        run_due_jobs(worker="w1", lanes=["urgent"])
    finally:
        JOBS.unregister("test.metered")
    text = scrape(client)
    assert sample(text, "meetops_outbox_queue_depth", lane="bulk") == 3
    assert sample(text, "meetops_outbox_queue_depth", lane="urgent") == 1
    assert sample(text, "meetops_outbox_oldest_age_seconds", lane="bulk") >= 0
    assert sample(text, "meetops_outbox_messages", channel="email", status="queued") == 4
    assert sample(text, "meetops_job_failing", job="test.metered") == 0
    assert sample(text, "meetops_job_runs_last_day", job="test.metered", outcome="ok") == 1
    assert sample(text, "meetops_db_up") == 1
    assert (
        sample(text, "meetops_http_requests_total", method="GET", status="200", view="healthz") >= 1
    )
    assert "meetops_http_request_duration_seconds_bucket" in text


def test_deliveries_are_counted_by_channel_and_outcome(client: Any, metrics_on: str) -> None:
    from meetops.notifications import services
    from meetops.notifications.worker import Worker

    with transaction.atomic():
        services.enqueue_email(to="a@example.org", subject="s", text="t")
    Worker().run_once(with_jobs=False)
    text = scrape(client)
    assert sample(text, "meetops_outbox_deliveries_total", channel="email", outcome="sent") == 1


def test_readyz_names_each_service_and_healthz_stays_liveness(client: Any, settings: Any) -> None:
    settings.REDIS_URL = ""  # CI may run with Redis: this case is the one without
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "not_configured",
        "storage": "ok",
    }
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_readyz_is_503_naming_the_storage_that_cannot_be_written(
    client: Any, settings: Any, tmp_path: Any
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings.MEDIA_ROOT = str(blocker / "uploads")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["storage"] == "unavailable"
    assert response.json()["database"] == "ok"
    assert client.get("/healthz").status_code == 200


def test_readyz_is_503_when_redis_does_not_answer(client: Any, settings: Any) -> None:
    from meetops.core.tests.test_health import _closed_port

    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["redis"] == "unavailable"


def test_the_request_id_is_answered_and_on_every_log_line(client: Any, caplog: Any) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234.abc")
    assert response["X-Request-ID"] == "lb-1234.abc"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x\n{"level": "ERROR"}')
    assert forged["X-Request-ID"] != "x" and len(forged["X-Request-ID"]) == 32

    seen: list[dict[str, Any]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(json.loads(self.format(record)))

    handler = Keep()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        missing = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-42")
    finally:
        logger.removeHandler(handler)
    assert missing.status_code == 404
    assert seen and {line["request_id"] for line in seen} == {"req-42"}
    assert seen[0]["level"] == "WARNING" and seen[0]["logger"] == "django.request"
