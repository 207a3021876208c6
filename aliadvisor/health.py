"""Probes for the TLS proxy and orchestrators, and the warm-up they report on.

``/healthz``: the process answers (no database, no work). ``/readyz``: the database answers and
the per-process indexes (search index, vocabularies, advisor engine) are built for the current
catalog version; 503 with the failing part otherwise. Both are answered by a middleware placed
first, so they skip host validation and the HTTPS redirect (probes use plain HTTP and the
container's address), and gunicorn's access log leaves out their successes (``gunicorn.conf.py``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.db import connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PROBE_PATHS = frozenset({"/healthz", "/readyz"})


def warm_up() -> None:
    """Build what the first request would otherwise build: jieba's dictionary (through the
    advisor engine and the search index), the search index and the vocabularies."""
    from advisor.catalog_source import get_engine
    from catalog.search import get_search_index
    from catalog.vocabularies import get_vocabularies

    get_vocabularies()
    get_search_index()
    get_engine()


def readiness() -> tuple[bool, dict[str, str]]:
    """Whether this process can serve a page now, and the state of each part."""
    checks: dict[str, str] = {}
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        logger.warning("readyz: database unreachable: %s", error)
        checks["database"] = "unreachable"
        return False, checks
    try:
        warm_up()  # a no-op when the indexes match the catalog version
        checks["indexes"] = "ok"
    except Exception as error:  # noqa: BLE001
        logger.warning("readyz: indexes could not be built: %s", error)
        checks["indexes"] = "failed"
        return False, checks
    return True, checks


def _probe_response(body: dict, *, status: int, method: str) -> HttpResponse:
    response = HttpResponse(
        b"" if method == "HEAD" else json.dumps(body).encode(),
        status=status,
        content_type="application/json",
    )
    response["Cache-Control"] = "no-store"
    return response


class ProbeMiddleware:
    """Answers ``/healthz`` and ``/readyz`` before anything else runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in PROBE_PATHS:
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            response = _probe_response(
                {"error": "method not allowed"}, status=405, method=request.method
            )
            response["Allow"] = "GET, HEAD"
            return response
        if request.path == "/healthz":
            return _probe_response({"status": "ok"}, status=200, method=request.method)
        ready, checks = readiness()
        return _probe_response(
            {"status": "ok" if ready else "unavailable", **checks},
            status=200 if ready else 503,
            method=request.method,
        )
