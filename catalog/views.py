"""The catalog's HTML pages: home, list (facets, search, htmx), detail and comparison.

Views only parse the request and pick a template; what goes on a page is gathered by
``catalog.presentation`` (small functions, each with a fixed number of queries) and by
``catalog.queries`` (filtering, facets and pagination of the list).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from aliadvisor.http import vary_on_language

from . import presentation
from .filters import SortOrder
from .queries import paginate, run_catalog_query

# --- Home ----------------------------------------------------------------------------------


@require_GET
@vary_on_language
def home(request: HttpRequest) -> HttpResponse:
    categories = presentation.home_categories()
    context = {
        "categories": categories,
        "entry_total": sum(category.entry_count for category in categories),
        "stacks": presentation.featured_stacks(),
    }
    return render(request, "catalog/home.html", context)


# --- List ----------------------------------------------------------------------------------


@require_GET
@vary_on_language
def project_list(request: HttpRequest) -> HttpResponse:
    query = run_catalog_query(params=request.GET)
    page = paginate(projects=query.projects, page=request.GET.get("page"))
    cleaned = query.form.cleaned_data
    context = {
        "query": query,
        "page": page,
        "raw_q": (request.GET.get("q") or "")[: presentation.MAX_ECHO_LENGTH],
        "sort_choices": [("", _("Best match")), *SortOrder.choices],
        "requested_sort": cleaned.get("sort") or "",
        "maintained": bool(cleaned.get("maintained")),
        "stack_choice": presentation.stack_choice(query=query),
        "error_list": presentation.error_list(query=query),
        "filters_querystring": presentation.querystring_without(
            params=request.GET, drop=("page",)
        ),
        "active_filters": presentation.active_filters(query=query),
        "compare_selected": request.GET.getlist("p")[:50],
        "compare_max": presentation.COMPARE_MAX,
    }
    # Invalid input is reported on the page with status 200: htmx swaps only 2xx responses.
    template = "catalog/list.html#results" if request.htmx else "catalog/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- Detail --------------------------------------------------------------------------------


@require_GET
@vary_on_language
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = presentation.get_project_for_detail(slug=slug)
    context = {
        "project": project,
        "facet_groups": presentation.facet_groups(project=project),
        "link_groups": presentation.link_groups(project=project),
        "related_groups": presentation.related_groups(project=project),
        "memberships": list(project.stack_memberships.all()),
        "similar": presentation.similar_entries(project=project),
        "advisor_url": presentation.advisor_url(project=project),
        "sources": presentation.source_rows(project=project),
        "health_suggestion": presentation.health_suggestion(project=project),
    }
    return render(request, "catalog/detail.html", context)


# --- Compare -------------------------------------------------------------------------------


@require_GET
@vary_on_language
def compare(request: HttpRequest) -> HttpResponse:
    comparison = presentation.build_comparison(raw=request.GET.getlist("p")[:50])
    context = {
        "comparison": comparison,
        "columns": comparison.columns,
        "compare_max": presentation.COMPARE_MAX,
        "addable": presentation.addable_entries(
            exclude={project.slug for project in comparison.projects}
        )
        if comparison.can_add
        else [],
    }
    return render(request, "catalog/compare.html", context)
