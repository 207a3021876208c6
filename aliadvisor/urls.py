from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("catalog.api_urls")),
    path("api/", include("advisor.api_urls")),
    path("advisor/", include("advisor.urls")),
    path("", include("catalog.urls")),
]
