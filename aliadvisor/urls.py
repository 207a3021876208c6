from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from catalog import graph_api

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"))),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/graph/", graph_api.graph_data, name="api-graph"),
    path("api/", include("catalog.api_urls")),
    path("api/", include("advisor.api_urls")),
    path("advisor/", include("advisor.urls")),
    path("", include("catalog.urls")),
]
