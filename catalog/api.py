"""The read-only JSON API: /api/projects/, /api/projects/<slug>/, /api/stacks/.

Same filters as the catalog page (``run_catalog_query``). Bad input answers 400 with
``{"errors": {field: [messages]}}``; an unknown entry answers 404 with ``{"error", "slug"}``.
Language-dependent fields follow the request's language (Accept-Language via
LocaleMiddleware) unless ``?lang=en`` or ``?lang=zh-hans`` overrides it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import serializers
from .models import Project, Stack, StackMember
from .queries import run_catalog_query
from .search import similar_projects

SIMILAR_LIMIT = 5


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    return HttpResponse(
        serializers.dumps(data), status=status, content_type="application/json; charset=utf-8"
    )


def with_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Honour ``?lang=`` (one of settings.LANGUAGES); anything else is a 400."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        lang = request.GET.get("lang")
        if lang is None:
            return view(request, *args, **kwargs)
        codes = [code for code, _name in settings.LANGUAGES]
        if lang not in codes:
            return json_response(
                {"errors": {"lang": [_("Use one of: %(codes)s.") % {"codes": ", ".join(codes)}]}},
                status=400,
            )
        with translation.override(lang):
            return view(request, *args, **kwargs)

    return wrapper


@require_GET
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


@require_GET
@with_language
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = Project.objects.with_detail().filter(slug=slug).first()
    if project is None:
        return json_response(
            {"error": _("No catalog entry has this slug."), "slug": slug[:200]}, status=404
        )
    similar = [other for other, _score in similar_projects(slug=slug, limit=SIMILAR_LIMIT)]
    return json_response(serializers.project_detail(project, similar=similar))


@require_GET
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
