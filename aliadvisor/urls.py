from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"))),
    path(f"{settings.ADMIN_URL}/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("catalog.api_urls")),
    path("api/", include("advisor.api_urls")),
    path("advisor/", include("advisor.urls")),
    path("", include("catalog.urls")),
]
