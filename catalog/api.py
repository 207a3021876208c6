"""The catalog's read-only API: /api/projects/, /api/projects/{slug}/, /api/stacks/.

Same filters as the catalog page (``run_catalog_query``), a page at a time (``page``,
``page_size``: only that page's rows are loaded); parameters and answers are typed in
``catalog.schemas``; what every endpoint shares (JSON, 400/405, ``lang``) is ``aliadvisor.api``.
"""

from __future__ import annotations

from django.core.validators import slug_re
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status

from aliadvisor.api import ErrorsOut, MethodNotAllowedOut, Router, page_url

from .models import Project, Stack, StackMember
from .queries import PageOutOfRange, exact_page, run_catalog_query
from .schemas import (
    DEFAULT_PAGE_SIZE,
    LanguageQuery,
    ProjectDetailOut,
    ProjectHitOut,
    ProjectListOut,
    ProjectListQuery,
    ProjectNotFoundOut,
    StackListOut,
)
from .search import similar_projects

SIMILAR_LIMIT = 5

router = Router(tags=["catalog"])


@router.get(
    "projects/",
    response={200: ProjectListOut, 400: ErrorsOut, 405: MethodNotAllowedOut},
    url_name="projects",
    exclude_unset=True,  # ``score`` only with a search text
    summary="The catalog list (the catalog page's filters), a page at a time",
)
def project_list(request: HttpRequest, params: Query[ProjectListQuery]):
    result = run_catalog_query(params=request.GET)
    if not result.is_valid:
        return Status(400, {"errors": result.errors})
    try:
        page = exact_page(
            rows=result.rows, number=params.page or 1,
            per_page=params.page_size or DEFAULT_PAGE_SIZE,
        )
    except PageOutOfRange as error:
        return Status(400, {"errors": {"page": [str(error)]}})
    return {
        "count": page.paginator.count,
        "next": page_url(request, number=page.next_page_number()) if page.has_next() else None,
        "previous": (
            page_url(request, number=page.previous_page_number()) if page.has_previous() else None
        ),
        "query": result.query,
        "sort": result.sort,
        "results": [
            ProjectHitOut.of(project, with_score=bool(result.query)) for project in page
        ],
    }


@router.get(
    "projects/{slug}/",
    response={200: ProjectDetailOut, 400: ErrorsOut, 404: ProjectNotFoundOut,
              405: MethodNotAllowedOut},
    url_name="project",
    summary="One catalog entry, whole",
)
def project_detail(request: HttpRequest, slug: str, params: Query[LanguageQuery]):
    # Only a valid slug reaches the database (a NUL byte is a DataError on PostgreSQL).
    project = (
        Project.objects.with_detail().filter(slug=slug).first()
        if slug_re.match(slug) is not None
        else None
    )
    if project is None:
        return Status(404, {"error": _("No catalog entry has this slug."), "slug": slug[:200]})
    project.similar = [other for other, _score in similar_projects(slug=slug, limit=SIMILAR_LIMIT)]
    return project


@router.get(
    "stacks/",
    response={200: StackListOut, 400: ErrorsOut, 405: MethodNotAllowedOut},
    url_name="stacks",
    summary="Every stack with its members",
)
def stack_list(request: HttpRequest, params: Query[LanguageQuery]):
    stacks = list(
        Stack.objects.select_related("counterpart").prefetch_related(
            "scenarios",
            Prefetch(
                "members",
                queryset=StackMember.objects.select_related("project").order_by("position", "id"),
            ),
        )
    )
    return {"count": len(stacks), "results": stacks}
