from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from advisor.feedback_views import api_feedback
from catalog import graph_api

from .api import build_api

# The JSON API (both apps' routers): /api/..., /api/openapi.json, /api/docs.
api = build_api()


class FaviconRedirect(RedirectView):
    """Resolved per request: with DEBUG off the static URL comes from collectstatic's
    manifest, which need not exist when the URLconf is imported (`check --deploy`)."""

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("favicon.svg")


favicon = FaviconRedirect.as_view()

urlpatterns = [
    path("favicon.ico", favicon),
    path(f"{settings.ADMIN_URL}/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/graph/", graph_api.graph_data, name="api-graph"),
    # A plain JSON view (POST only), beside the NinjaAPI's routes.
    path("api/feedback/", api_feedback, name="api-feedback"),
    path("api/", api.urls),
    path("advisor/", include("advisor.urls")),
    path("", include("catalog.urls")),
]
