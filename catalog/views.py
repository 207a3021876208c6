"""The catalog's HTML pages: home, list (facets, search, htmx), detail and comparison.

Views only parse the request and pick a template; what goes on a page is gathered by
``catalog.presentation`` (small functions, each with a fixed number of queries) and by
``catalog.queries`` (filtering, facets and pagination of the list).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from aliadvisor.http import vary_on_language

from . import export, presentation, stack_pages
from .charts import stats_sections
from .diagrams import neighbourhood_diagrams, neighbours_of
from .filters import SortOrder
from .graph import (
    GRAPH_LIMIT,
    GraphMode,
    graph_url,
    load_graph,
    relations_by_source,
    unknown_category_messages,
)
from .landscape import (
    category_colours,
    landscape_groups,
    landscape_limit,
    landscape_sample_size,
    more_url,
)
from .models import RelationType
from .queries import paginate, run_catalog_query

# --- Home ----------------------------------------------------------------------------------


@require_safe
@vary_on_language
def home(request: HttpRequest) -> HttpResponse:
    categories = presentation.home_categories()
    context = {
        "categories": categories,
        "entry_total": sum(category.entry_count for category in categories),
        "stack_pages": stack_pages.all_stack_pages(featured_only=True),
    }
    return render(request, "catalog/home.html", context)


# --- List ----------------------------------------------------------------------------------


@require_safe
@vary_on_language
def project_list(request: HttpRequest) -> HttpResponse:
    query = run_catalog_query(params=request.GET)
    page = paginate(projects=query.rows.for_cards(), page=request.GET.get("page"))
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


@require_safe
@vary_on_language
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = presentation.get_project_for_detail(slug=slug)
    memberships = list(project.stack_memberships.all())
    neighbours = neighbours_of(
        project=project,
        related=presentation.directed_relations(project=project),
        stacks=[member.stack for member in memberships],
    )
    context = {
        "project": project,
        "facet_groups": presentation.facet_groups(project=project),
        "link_groups": presentation.link_groups(project=project),
        "related_groups": presentation.related_groups(project=project),
        "neighbourhood": neighbourhood_diagrams(
            center=project.display_name, neighbours=neighbours, ident=f"nb-{project.slug}"
        ),
        "memberships": memberships,
        "similar": presentation.similar_entries(project=project),
        "advisor_url": presentation.advisor_url(project=project),
        "sources": presentation.source_rows(project=project),
        "health_suggestion": presentation.health_suggestion(project=project),
    }
    return render(request, "catalog/detail.html", context)


# --- Compare -------------------------------------------------------------------------------


@require_safe
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


# --- Compare as CSV ------------------------------------------------------------------------


@require_safe
@vary_on_language
def compare_csv(request: HttpRequest) -> HttpResponse:
    comparison = presentation.build_comparison(raw=request.GET.getlist("p")[:50])
    if not comparison.projects:
        return _text_error(comparison.messages)
    return _download(
        export.comparison_csv(comparison=comparison),
        content_type="text/csv; charset=utf-8",
        filename="aliadvisor-comparison.csv",
    )


# --- Export of the filtered list -----------------------------------------------------------


def _download(body: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _text_error(messages: list[str]) -> HttpResponse:
    body = "\n".join(str(message) for message in messages) + "\n"
    return HttpResponse(body, status=400, content_type="text/plain; charset=utf-8")


def _base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


@require_safe
@vary_on_language
def export_csv(request: HttpRequest) -> HttpResponse:
    query = run_catalog_query(params=request.GET)
    if not query.is_valid:
        lines = [f"{label}: {' '.join(messages)}" for label, messages in
                 presentation.error_list(query=query)]
        return _text_error([_("These filters cannot be used:"), *lines])
    return _download(
        export.list_csv(projects=query.projects, base_url=_base_url(request)),
        content_type="text/csv; charset=utf-8",
        filename="aliadvisor-catalog.csv",
    )


@require_safe
@vary_on_language
def export_json(request: HttpRequest) -> HttpResponse:
    query = run_catalog_query(params=request.GET)
    if not query.is_valid:
        return JsonResponse({"errors": query.errors}, status=400,
                            json_dumps_params={"ensure_ascii": False})
    data = export.list_json(
        projects=query.projects,
        base_url=_base_url(request),
        filters=presentation.querystring_without(params=request.GET, drop=("page",)),
    )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'attachment; filename="aliadvisor-catalog.json"'
    return response


# --- Stacks --------------------------------------------------------------------------------


@require_safe
@vary_on_language
def stack_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/stacks.html", {"pages": stack_pages.all_stack_pages()})


@require_safe
@vary_on_language
def stack_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "catalog/stack.html", {"page": stack_pages.get_stack_page(slug=slug)})


# --- Ecosystem graph, landscape, stats -----------------------------------------------------


@require_safe
@vary_on_language
def graph(request: HttpRequest) -> HttpResponse:
    data = load_graph(categories=request.GET.getlist("category")[:50])
    colours = category_colours(data.categories)
    drawn = {node.category.slug for node in data.nodes}
    context = {
        "graph": data,
        "graph_relations": relations_by_source(data),
        "categories": [(category, colours[category.slug]) for category in data.categories],
        # The drawing's filters: the categories it holds.
        "drawn_categories": [
            (category, colours[category.slug]) for category in data.categories
            if category.slug in drawn
        ],
        "relation_types": [(value, label) for value, label in RelationType.choices
                           if value in {edge.type for edge in data.relations}],
        "node_count": data.shown if data.mode == GraphMode.ENTRIES else len(data.nodes),
        "edge_count": len(data.relations),
        "unknown_categories": unknown_category_messages(data),
        "graph_data_url": graph_url(categories=data.selected, name="api-graph"),
        "overview_url": graph_url(),
        "graph_limit": GRAPH_LIMIT,
    }
    return render(request, "catalog/graph.html", context)


@require_safe
@vary_on_language
def landscape(request: HttpRequest) -> HttpResponse:
    query = run_catalog_query(params=request.GET)
    groups, sampled = landscape_groups(query=query)
    filters = presentation.querystring_without(params=request.GET, drop=("page", "category"))
    context = {
        "query": query,
        "groups": [
            (group, more_url(group=group, filters=filters) if group.sampled else None)
            for group in groups
        ],
        "sampled": sampled,
        "sample_size": landscape_sample_size(),
        "landscape_limit": landscape_limit(),
        "raw_q": (request.GET.get("q") or "")[: presentation.MAX_ECHO_LENGTH],
        "maintained": bool(query.form.cleaned_data.get("maintained")),
        "stack_choice": presentation.stack_choice(query=query),
        "error_list": presentation.error_list(query=query),
        "active_filters": presentation.active_filters(query=query),
        "filters_querystring": presentation.querystring_without(
            params=request.GET, drop=("page",)
        ),
    }
    return render(request, "catalog/landscape.html", context)


@require_safe
@vary_on_language
def stats(request: HttpRequest) -> HttpResponse:
    total, sections = stats_sections(today=timezone.localdate())
    return render(request, "catalog/stats.html", {"total": total, "sections": sections})
