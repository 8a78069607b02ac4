"""The outbox's numbers for `/metrics` (core/metrics.py), read from the database at scrape time:
the same on every node, whoever sends."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from meetops.notifications.models import DeliveryAttempt, Lane, OutboxMessage, Status

WAITING = (Status.QUEUED, Status.FAILED)


def outbox_metrics() -> Iterator[Metric]:
    """Per lane: messages waiting and the age of the oldest; messages by status; deliveries."""
    depth = GaugeMetricFamily(
        "meetops_outbox_queue_depth",
        "Messages waiting to be sent (queued or to be retried), by lane.",
        labels=["lane"],
    )
    age = GaugeMetricFamily(
        "meetops_outbox_oldest_age_seconds",
        "Age of the oldest message waiting to be sent, by lane (0: none waiting).",
        labels=["lane"],
    )
    now = timezone.now()
    waiting = {
        row["lane"]: row
        for row in OutboxMessage.objects.filter(status__in=WAITING)
        .values("lane")
        .annotate(n=Count("id"), oldest=Min("created_at"))
        .order_by()
    }
    for lane in Lane.values:
        row = waiting.get(lane)
        depth.add_metric([lane], row["n"] if row else 0)
        age.add_metric([lane], (now - row["oldest"]).total_seconds() if row else 0.0)
    by_status = GaugeMetricFamily(
        "meetops_outbox_messages",
        "Outbox messages by channel and status (sent ones included).",
        labels=["channel", "status"],
    )
    for channel, status, n in (
        OutboxMessage.objects.values_list("channel", "status").annotate(n=Count("id")).order_by()
    ):
        by_status.add_metric([channel, status], n)
    sends = CounterMetricFamily(
        "meetops_outbox_deliveries",
        "Delivery attempts by channel and outcome (sent, retry, dead, unconfirmed, ...).",
        labels=["channel", "outcome"],
    )
    for channel, outcome, n in (
        DeliveryAttempt.objects.values_list("message__channel", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    ):
        sends.add_metric([channel, outcome], n)
    yield from (depth, age, by_status, sends)
