from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from advisor.feedback_views import api_feedback
from catalog import graph_api

from .api import build_api

# The JSON API (both apps' routers): /api/..., /api/openapi.json, /api/docs.
api = build_api()

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"))),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/graph/", graph_api.graph_data, name="api-graph"),
    # A plain JSON view (POST only), beside the NinjaAPI's routes.
    path("api/feedback/", api_feedback, name="api-feedback"),
    path("api/", api.urls),
    path("advisor/", include("advisor.urls")),
    path("", include("catalog.urls")),
]
