"""`/metrics` in the Prometheus text format, for a bearer token (MEETOPS_METRICS_TOKEN).

Two kinds of numbers:

- **Per process**, counted as they happen: HTTP requests and their latencies. `meetops
  serve` runs several gunicorn processes, so these use prometheus_client's multiprocess
  mode: every process writes its counters to files under PROMETHEUS_MULTIPROC_DIR
  (settings put it under MEETOPS_DATA_DIR when a token is set; `serve` empties it at
  start) and a scrape adds them up, whichever process answers it.
- **Read from the database at scrape time**: the outbox per lane (depth, age of the
  oldest), deliveries by channel and outcome, periodic jobs, the database's connections.
  These are the same whichever node is scraped, and need no worker to report them.
  Apps add theirs through the registry's "metrics" store: a callable returning
  prometheus_client metric families (`notifications/metrics.py`).

No token set: `/metrics` does not exist (404). A wrong or missing token: 401 in the API's
error shape. The token is compared in constant time.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from meetops.core.models import JobRun, JobSlot
from meetops.core.registry import Store, registry

logger = logging.getLogger(__name__)

MetricSource = Callable[[], Iterable[Metric]]
SOURCES: Store[MetricSource] = registry["metrics"]

REQUESTS = Counter(
    "meetops_http_requests",
    "HTTP requests answered, by method, view and status code.",
    ["method", "view", "status"],
)
LATENCY = Histogram(
    "meetops_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and view.",
    ["method", "view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def _view_name(request: HttpRequest) -> str:
    """The URL name (bounded), never the raw path (one series per meeting id otherwise)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched"
    return match.view_name or "unnamed"


class RequestMetricsMiddleware:
    """Counts each request and its duration (per process; added up at scrape time)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        view = _view_name(request)
        method = request.method or "GET"
        LATENCY.labels(method, view).observe(time.perf_counter() - started)
        REQUESTS.labels(method, view, str(response.status_code)).inc()
        return response


# --- read from the database at scrape time ------------------------------------------------


def job_metrics() -> Iterator[Metric]:
    """Each periodic job: its last start and success, whether its last run failed, recent runs."""
    started = GaugeMetricFamily(
        "meetops_job_last_started_timestamp_seconds",
        "When the periodic job last started (Unix time).",
        labels=["job"],
    )
    succeeded = GaugeMetricFamily(
        "meetops_job_last_success_timestamp_seconds",
        "When the periodic job last finished without error (Unix time).",
        labels=["job"],
    )
    failing = GaugeMetricFamily(
        "meetops_job_failing", "1 when the job's last run raised an error.", labels=["job"]
    )
    for run in JobRun.objects.all():
        if run.last_started_at:
            started.add_metric([run.name], run.last_started_at.timestamp())
        if run.last_finished_at:
            succeeded.add_metric([run.name], run.last_finished_at.timestamp())
        failing.add_metric([run.name], 1.0 if run.last_error else 0.0)
    recent = GaugeMetricFamily(
        "meetops_job_runs_last_day",
        "Runs of each periodic job in the last 24 hours, by outcome (ok, failed, running).",
        labels=["job", "outcome"],
    )
    since = timezone.now() - timedelta(days=1)
    counts: dict[tuple[str, str], int] = {}
    for name, finished, error in JobSlot.objects.filter(slot__gte=since).values_list(
        "job", "finished_at", "error"
    ):
        outcome = "running" if finished is None else ("failed" if error else "ok")
        counts[(name, outcome)] = counts.get((name, outcome), 0) + 1
    for (name, outcome), n in sorted(counts.items()):
        recent.add_metric([name, outcome], n)
    yield from (started, succeeded, failing, recent)


def database_metrics() -> Iterator[Metric]:
    """Whether the database answers, how long it took, and (PostgreSQL) its connections."""
    up = GaugeMetricFamily("meetops_db_up", "1 when the database answered the scrape's query.")
    seconds = GaugeMetricFamily(
        "meetops_db_ping_seconds", "Time the database took to answer SELECT 1."
    )
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("metrics: the database did not answer", exc_info=True)
        up.add_metric([], 0.0)
        yield up
        return
    up.add_metric([], 1.0)
    seconds.add_metric([], time.perf_counter() - started)
    yield from (up, seconds)
    if connection.vendor == "postgresql":
        conns = GaugeMetricFamily(
            "meetops_db_connections",
            "Connections to MeetOps's PostgreSQL database, by state (all nodes).",
            labels=["state"],
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() GROUP BY 1"
            )
            for state, n in cursor.fetchall():
                conns.add_metric([state], n)
        yield conns


class DatabaseCollector(Collector):
    """Core's own database-read families plus every app's registered source."""

    def collect(self) -> Iterable[Metric]:
        yield from database_metrics()
        yield from job_metrics()
        for name, source in sorted(SOURCES.items()):
            try:
                yield from source()
            except Exception:  # one broken source must not take the others down
                logger.exception("metrics source %s failed", name)


def render() -> bytes:
    """The text exposition of this process (or, in multiprocess mode, of all of them)."""
    scrape = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(scrape)
    else:
        for collector in (REQUESTS, LATENCY):
            scrape.register(collector)
    scrape.register(DatabaseCollector())
    return generate_latest(scrape)


def _authorised(request: HttpRequest, token: str) -> bool:
    scheme, _sep, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


def metrics_view(request: HttpRequest) -> HttpResponse:
    """GET /metrics for Prometheus; 404 while no token is set, 401 without the right one."""
    token = settings.MEETOPS_METRICS_TOKEN
    if not token:
        raise Http404
    if not _authorised(request, token):
        response = JsonResponse(
            {
                "error": {
                    "code": "not_authenticated",
                    "message": _("A valid metrics token is required."),
                    "details": {},
                }
            },
            status=401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(render(), content_type=CONTENT_TYPE_LATEST)


def reset_multiprocess_dir(path: str) -> None:
    """Empty the multiprocess directory before the server forks (old processes' files)."""
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        if name.endswith(".db"):
            os.unlink(os.path.join(path, name))


def mark_process_dead(pid: int) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(pid)
