"""The read-only JSON API: /api/projects/, /api/projects/<slug>/, /api/stacks/.

Same filters as the catalog page (``run_catalog_query``). Bad input answers 400 with
``{"errors": {field: [messages]}}``; an unknown entry answers 404 with ``{"error", "slug"}``.
Language-dependent fields follow the request's language (Accept-Language via
LocaleMiddleware) unless ``?lang=en`` or ``?lang=zh-hans`` overrides it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.core.validators import slug_re
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.log import log_response
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from . import serializers
from .models import Project, Stack, StackMember
from .queries import run_catalog_query
from .search import similar_projects

SIMILAR_LIMIT = 5


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    """``data`` as UTF-8 JSON with ``<``, ``>``, ``&`` escaped (``serializers.dumps``).

    Public: the advisor's API answers through it too, so both APIs write JSON the same way.
    """
    return HttpResponse(
        serializers.dumps(data), status=status, content_type="application/json; charset=utf-8"
    )


def method_not_allowed_json(request: HttpRequest, *, allowed: Sequence[str]) -> HttpResponse:
    """A 405 with an ``Allow`` header and a JSON body naming the allowed methods (Django's
    ``require_http_methods`` answers an empty text/html 405, which API clients cannot read)."""
    response = json_response(
        {"error": _("Method not allowed"), "allowed": list(allowed)}, status=405
    )
    response["Allow"] = ", ".join(allowed)
    log_response(
        "Method Not Allowed (%s): %s", request.method, request.path,
        response=response, request=request,
    )
    return response


def require_methods_json(
    methods: Sequence[str],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Like ``django.views.decorators.http.require_http_methods``, with a JSON 405."""
    allowed = [method.upper() for method in methods]

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in allowed:
                return method_not_allowed_json(request, allowed=allowed)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# GET and HEAD (HEAD answers like GET; the server drops the body): read-only endpoints.
require_safe_json = require_methods_json(["GET", "HEAD"])

# Pages and API answers are in the active language, which LocaleMiddleware takes from the
# django_language cookie (the 中文/EN switch) before Accept-Language: a shared cache must key
# on both. LocaleMiddleware adds Accept-Language to Vary itself, the cookie it does not.
vary_on_language = vary_on_headers("Accept-Language", "Cookie")


# The ``lang`` spellings the advise API accepts (advisor/services.py ``LANGUAGES``), so both
# APIs take the same values: "zh" and "zh-cn" mean zh-hans, "en-us" means en.
LANGUAGE_ALIASES = {
    "en": "en", "en-us": "en", "zh": "zh-hans", "zh-hans": "zh-hans", "zh-cn": "zh-hans",
}


def requested_language(*, values: Sequence[str]) -> str | None:
    """The language code asked for with ``?lang=`` (None: not asked); ValueError with a
    message when the value is unknown or different values were given."""
    distinct = list(dict.fromkeys(value.strip().lower() for value in values if value.strip()))
    if not distinct:
        return None
    if len(distinct) > 1:
        raise ValueError(
            _("Give one value: %(count)d different values were given.") % {"count": len(distinct)}
        )
    code = LANGUAGE_ALIASES.get(distinct[0])
    if code is None:
        raise ValueError(
            _("Use one of: %(codes)s.") % {"codes": ", ".join(sorted(set(LANGUAGE_ALIASES)))}
        )
    return code


def with_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Honour ``?lang=`` (see ``requested_language``); a bad or repeated value is a 400."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            lang = requested_language(values=request.GET.getlist("lang"))
        except ValueError as error:
            return json_response({"errors": {"lang": [str(error)]}}, status=400)
        if lang is None:
            return view(request, *args, **kwargs)
        with translation.override(lang):
            return view(request, *args, **kwargs)

    return wrapper


@require_safe_json
@vary_on_language
@with_language
def project_list(request: HttpRequest) -> HttpResponse:
    result = run_catalog_query(params=request.GET)
    if not result.is_valid:
        return json_response({"errors": result.errors}, status=400)
    results = [
        serializers.project_summary(
            project, score=getattr(project, "relevance", None) if result.query else None
        )
        for project in result.projects
    ]
    return json_response(
        {"count": len(results), "query": result.query, "sort": result.sort, "results": results}
    )


@require_safe_json
@vary_on_language
@with_language
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Only a valid slug reaches the database (a NUL byte is a DataError on PostgreSQL).
    project = (
        Project.objects.with_detail().filter(slug=slug).first()
        if slug_re.match(slug) is not None
        else None
    )
    if project is None:
        return json_response(
            {"error": _("No catalog entry has this slug."), "slug": slug[:200]}, status=404
        )
    similar = [other for other, _score in similar_projects(slug=slug, limit=SIMILAR_LIMIT)]
    return json_response(serializers.project_detail(project, similar=similar))


@require_safe_json
@vary_on_language
@with_language
def stack_list(request: HttpRequest) -> HttpResponse:
    stacks = Stack.objects.select_related("counterpart").prefetch_related(
        "scenarios",
        Prefetch(
            "members",
            queryset=StackMember.objects.select_related("project").order_by("position", "id"),
        ),
    )
    results = [serializers.stack_data(stack) for stack in stacks]
    return json_response({"count": len(results), "results": results})
