from django.contrib import admin
from django.urls import include, path

from meetops.config.api import api
from meetops.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("meetops.people.urls")),
    path("", include("meetops.core.urls")),
    path("meetings/", include("meetops.meetings.urls")),
    path("", include("meetops.invitations.urls")),
    path("meetings/", include("meetops.agenda.urls")),
    path("meetings/", include("meetops.budget.urls")),
    path("", include("meetops.venues.urls")),
    path("", include("meetops.attendance.urls")),
    path("notifications/", include("meetops.notifications.urls")),
    path("", include("meetops.minutes.urls")),
    path("meetings/", include("meetops.risks.urls")),
    path("", include("meetops.reports.urls")),
    path("process/", include("meetops.policy.process_urls")),
    path("meetings/", include("meetops.live.urls")),
    path("followup/", include("meetops.followup.urls")),
    path("", include("meetops.seating.urls")),
    path("", include("meetops.evaluation.urls")),
    path("", include("meetops.records.urls")),
    path("", include("meetops.improvement.urls")),
]

handler403 = "meetops.core.boundary.permission_denied"
handler404 = "meetops.core.boundary.page_not_found"
handler500 = "meetops.core.boundary.server_error"
