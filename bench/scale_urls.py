"""The site's URLs plus the yardsticks of ``bench/scale.py``: a bare view, and a bare view that
answers one plain TF-IDF query (no synonyms, no rules) over the catalog's texts."""

from django.http import HttpResponse, JsonResponse
from django.urls import include, path

from catalog import textstore
from catalog.versioning import VersionedCache
from textindex.index import TextIndex


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def _plain_index() -> TextIndex:
    return textstore.current_texts().store.index(synonyms=False)


_plain = VersionedCache(_plain_index)


def tfidf(request):
    hits = _plain.get().search(request.GET.get("q", ""), limit=10)
    return JsonResponse({"results": [{"slug": hit.key, "score": hit.score} for hit in hits]})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/tfidf/", tfidf),
    path("", include("aliadvisor.urls")),
]
