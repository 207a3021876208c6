"""Probes for the TLS proxy and orchestrators, and the warm-up they report on.

``/healthz``: the process answers (no database, no work). ``/readyz``: the database answers and
the per-process indexes (search index, vocabularies, advisor engine) are built for the current
catalog version; 503 with the failing part otherwise. Both are answered by a middleware placed
first, so they skip host validation and the HTTPS redirect (probes use plain HTTP and the
container's address), and gunicorn's access log leaves out their successes (``gunicorn.conf.py``).
"""

from __future__ import annotations

import gc
import json
import logging
import sysconfig
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import connections
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from advisor.engine.scoring import Engine

logger = logging.getLogger(__name__)

PROBE_PATHS = frozenset({"/healthz", "/readyz"})


def warm_up() -> None:
    """Build what the first request would otherwise build: jieba's dictionary (through the
    advisor engine and the search index), the search index, the vocabularies, the list's
    facet table, the URLconf (every view module and the API's schemas) and the compiled
    templates."""
    from django.http import QueryDict

    from advisor.catalog_source import get_engine
    from catalog.queries import facet_table, run_catalog_query
    from catalog.search import get_search_index
    from catalog.vocabularies import get_vocabularies

    get_vocabularies()
    facet_table()  # first: the indexes built next reuse the memory its reading freed
    get_search_index()
    engine = get_engine()
    run_catalog_query(params=QueryDict("")).facets  # noqa: B018 - the code that counts them
    _load_code_and_templates(engine)


def prepare_to_serve() -> None:
    """What a server process does once before its first request (gunicorn's ``when_ready``):
    ``warm_up``, then one full garbage collection and ``gc.freeze()``, so the objects built
    so far are neither scanned by the first requests' collections nor copied into each forked
    worker by them; then the C heap's free pages (what the warm-up freed) go back to the
    system."""
    from catalog.versioning import release_free_memory

    warm_up()
    gc.collect()
    gc.freeze()
    release_free_memory()


_loaded = False


def _load_code_and_templates(engine: Engine) -> None:
    """Once per process: import the URLconf and compile its patterns, load every language's
    messages, compile every HTML template of the project and its apps (the cached template
    loader keeps them), and give one advice in each language (the regular expressions the
    engine compiles on first use)."""
    global _loaded
    if _loaded:
        return
    from django.conf import settings
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.loader import get_template
    from django.template.utils import get_app_template_dirs
    from django.urls import URLResolver, get_resolver
    from django.utils import translation

    from advisor.engine.types import Answers

    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018 - imports every view module, fills reverse()
    patterns = list(resolver.url_patterns)
    while patterns:  # each pattern's regular expression, compiled on first use
        pattern = patterns.pop()
        pattern.pattern.regex  # noqa: B018
        if isinstance(pattern, URLResolver):
            patterns.extend(pattern.url_patterns)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Catalog")
    if engine.entries:
        entry = engine.entries[0]
        try:
            for language in ("zh", "en"):
                engine.advise(Answers(text=f"{entry.name} {entry.summary_en}", language=language))
        except Exception as error:  # noqa: BLE001 - a warm-up only: requests report their own
            logger.warning("Warm-up: the sample advice failed (%s)", error)
    roots = [Path(d) for e in settings.TEMPLATES for d in e.get("DIRS", ())]
    roots += [Path(d) for d in get_app_template_dirs("templates")]
    project = Path(settings.BASE_DIR).resolve()
    installed = Path(sysconfig.get_paths()["purelib"]).resolve()
    for root in roots:
        root = root.resolve()
        if not root.is_relative_to(project) or root.is_relative_to(installed):
            continue  # Django's own and third-party apps' templates load on first use
        for path in sorted(root.rglob("*.html")):
            try:
                get_template(path.relative_to(root).as_posix())
            except (TemplateDoesNotExist, TemplateSyntaxError) as error:
                logger.warning("Warm-up: template %s not loaded (%s)", path, error)
    _loaded = True


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
