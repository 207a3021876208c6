"""The site's URLs plus a bare view, the yardstick of ``bench/scale.py``."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("", include("aliadvisor.urls"))]
