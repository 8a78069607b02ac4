"""The site's URLs: the framework's own, then what each app declares in its `contributions.py`
(the registry's "urls" store), in the declared order. No app is named here."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from meetops.config.api import api
from meetops.core import views as core_views
from meetops.core.registry import UrlInclude, registry

_includes: list[UrlInclude] = registry["urls"].ordered()

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *(path(i.prefix, include(i.module)) for i in _includes),
]

handler403 = "meetops.core.boundary.permission_denied"
handler404 = "meetops.core.boundary.page_not_found"
handler500 = "meetops.core.boundary.server_error"
