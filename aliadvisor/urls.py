from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from .api import build_api

# The JSON API (both apps' routers): /api/..., /api/openapi.json, /api/docs.
api = build_api()

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"))),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("advisor/", include("advisor.urls")),
    path("", include("catalog.urls")),
]
