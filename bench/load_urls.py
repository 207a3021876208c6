"""The site's URLs plus ``/bench/bare/``: a view that does nothing, behind the same middleware,
so bench/load.py can measure the server's own cost per request at the same concurrency."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("aliadvisor.urls")),
]
