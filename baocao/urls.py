from django.contrib import admin
from django.urls import include, path

from baocao.ops.health import healthz
from baocao.web.throttle import guarded

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/login/", guarded(admin.site.login)),  # throttled like every login path
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("baocao.api.urls")),
    path("bao-cao/", include("baocao.reports.urls")),
    path("doc-bao-cao/", include("baocao.ingest.urls")),
    path("quan-tri/nguon-du-lieu/", include("baocao.sources.urls")),
    path("", include("baocao.web.urls")),
]
