"""Operations endpoints: readiness for load balancers, metrics for Prometheus (`/healthz`,
liveness, stays in the site's URL map)."""

from django.urls import path

from meetops.core import metrics, views

urlpatterns = [
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
]
