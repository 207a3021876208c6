"""The catalog API's parameters and answers as ninja schemas (they make /api/openapi.json).

Answers are read from prefetched rows (``Project.objects.with_facets()`` / ``with_detail()``,
``Stack.objects.with_members()``); the resolvers never query per item. Keys are public
(README): keep them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from aliadvisor import parsing

from . import search
from .filters import SortOrder
from .models import Kind, Maintenance, Project, Stack, StackMember

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Far past any catalog's last page; a longer number is refused before the catalog is read.
MAX_PAGE = 1_000_000

KindValue = Literal[tuple(Kind.values)]  # type: ignore[valid-type]
MaintenanceValue = Literal[tuple(Maintenance.values)]  # type: ignore[valid-type]


# --- Parameters ----------------------------------------------------------------------------


class LanguageQuery(Schema):
    lang: parsing.Language = None


class ProjectListQuery(LanguageQuery):
    """The catalog list's filters (validated again, against the vocabularies, by
    ``ProjectFilterSet``: an unknown facet value is a 400 too)."""

    q: parsing.text(max_length=search.MAX_QUERY_LENGTH, normalise=search.normalize_query) = Field(
        "", description="Search text, Chinese or English (whitespace collapsed first)."
    )
    kind: parsing.many(KindValue) = Field([], description="Repeat to OR values.")
    category: parsing.many() = Field([], description="Category slugs; repeat to OR.")
    framework: parsing.many() = Field([], description="Framework slugs; repeat to OR.")
    data_type: parsing.many() = Field([], description="Data type slugs; repeat to OR.")
    scale: parsing.many() = Field([], description="Scale slugs; repeat to OR.")
    scenario: parsing.many() = Field([], description="Scenario slugs; repeat to OR.")
    maintenance: parsing.many(MaintenanceValue) = Field([], description="Repeat to OR values.")
    org: parsing.many() = Field([], description="Organisations as shown; repeat to OR.")
    license: parsing.many() = Field([], description="Licences as shown; repeat to OR.")
    maintained: parsing.Flag = Field(False, description="Hide unmaintained entries.")
    stack: parsing.text(max_length=60) = Field("", description="A stack slug: its members only.")
    sort: parsing.one_of(*SortOrder.values) = Field(
        None, description="Default: relevance with q, name without."
    )
    page: parsing.whole_number(ge=1, le=MAX_PAGE) = Field(
        None, description="Page number, from 1 (default 1). A page past the last is a 400; "
        "page 1 of an empty result is an empty list."
    )
    page_size: parsing.whole_number(ge=1, le=MAX_PAGE_SIZE) = Field(
        None, description=f"Entries per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})."
    )


# --- Answers -------------------------------------------------------------------------------


class ProjectNotFoundOut(Schema):
    error: str
    slug: str


class ProjectFields(Schema):
    """The list's fields (``ProjectSummaryOut`` reads them from a row)."""

    slug: str
    name: str
    name_zh: str
    kind: KindValue
    category: str
    org: str
    license: str
    maintenance: MaintenanceValue
    frameworks: list[str]
    data_types: list[str]
    scales: list[str]
    scenarios: list[str]
    summary_zh: str
    summary_en: str
    url: str


class ProjectSummaryOut(ProjectFields):
    @staticmethod
    def resolve_category(project: Project) -> str:
        return project.category.slug

    @staticmethod
    def resolve_frameworks(project: Project) -> list[str]:
        return [term.slug for term in project.frameworks.all()]

    @staticmethod
    def resolve_data_types(project: Project) -> list[str]:
        return [term.slug for term in project.data_types.all()]

    @staticmethod
    def resolve_scales(project: Project) -> list[str]:
        return [term.slug for term in project.scales.all()]

    @staticmethod
    def resolve_scenarios(project: Project) -> list[str]:
        return [term.slug for term in project.scenarios.all()]

    @staticmethod
    def resolve_url(project: Project) -> str:
        return project.get_absolute_url()


class ProjectHitOut(ProjectFields):
    score: float | None = Field(
        None, description="Relevance (> 0); present only when q is given."
    )

    @classmethod
    def of(cls, project: Project, *, with_score: bool) -> dict:
        """One result as the list shows it: without ``score`` when there is no search text."""
        item = ProjectSummaryOut.from_orm(project).model_dump()
        if with_score:
            item["score"] = round(getattr(project, "relevance", 0.0), 6)
        return item


class ProjectListOut(Schema):
    count: int = Field(description="Entries matching the filters, on every page.")
    next: str | None = Field(
        description="Absolute URL of the next page (the other parameters kept); null on the last."
    )
    previous: str | None = Field(
        description="Absolute URL of the previous page (the other parameters kept); null on "
        "the first."
    )
    query: str
    sort: Literal[tuple(SortOrder.values)]  # type: ignore[valid-type]
    results: list[ProjectHitOut] = Field(description="This page's entries, in order.")


class LinkOut(Schema):
    title: str
    url: str
    type: str


class RelatedOut(Schema):
    slug: str
    relation: str
    direction: Literal["out", "in"]


class SourceOut(Schema):
    fact: str = Field(description="The fact; a relation as relation:<type>:<target slug>.")
    url: str = Field(description="Where it was read: a browsable URL.")
    checked: date


class ReleaseOut(Schema):
    tag: str
    date: date | None


class HealthOut(Schema):
    """Read from the repository (refresh_health), as of ``checked``; null where unknown."""

    last_commit: date | None
    last_release: ReleaseOut | None
    archived: bool | None
    stars: int | None
    open_issues: int | None
    checked: date | None


def sources_and_health(project: Project) -> dict:
    """The detail's ``sources`` and ``health`` blocks (``health`` null when nothing is known).
    Expects ``sources`` prefetched (``with_detail``)."""
    has_release = project.last_release_tag or project.last_release_date
    return {
        "sources": [
            {"fact": source.label, "url": source.href, "checked": source.checked}
            for source in project.sources_in_order()
        ],
        "health": {
            "last_commit": project.last_commit,
            "last_release": {"tag": project.last_release_tag, "date": project.last_release_date}
            if has_release
            else None,
            "archived": project.archived,
            "stars": project.stars,
            "open_issues": project.open_issues,
            "checked": project.health_checked,
        }
        if project.has_health
        else None,
    }


class ProjectDetailOut(ProjectSummaryOut):
    description: str
    maintenance_note: str
    last_release_year: int | None
    repo_url: str
    homepage: str
    features_zh: list[str]
    features_en: list[str]
    principles_zh: str
    principles_en: str
    use_cases_zh: list[str]
    use_cases_en: list[str]
    features: list[str] = Field(description="In the request's language (else the other).")
    principles: str
    use_cases: list[str]
    links: list[LinkOut]
    related: list[RelatedOut] = Field(description="This entry's relations (out) and those "
                                      "pointing at it (in).")
    successor: str | None
    stacks: list[str]
    similar: list[str] = Field(description="More like this (top 5).")
    updated: datetime
    sources: list[SourceOut] = Field(description="Where each fact was read, and when.")
    health: HealthOut | None = Field(description="Null for an entry with no health signals.")

    @staticmethod
    def resolve_sources(project: Project) -> list[dict]:
        return sources_and_health(project)["sources"]

    @staticmethod
    def resolve_health(project: Project) -> dict | None:
        return sources_and_health(project)["health"]

    @staticmethod
    def resolve_links(project: Project) -> list[dict]:
        return [
            {"title": link.title, "url": link.url, "type": link.type}
            for link in project.links.all()
        ]

    @staticmethod
    def resolve_related(project: Project) -> list[dict]:
        return [
            {"slug": relation.target.slug, "relation": relation.type, "direction": "out"}
            for relation in project.relations_out.all()
        ] + [
            {"slug": relation.source.slug, "relation": relation.type, "direction": "in"}
            for relation in project.relations_in.all()
        ]

    @staticmethod
    def resolve_successor(project: Project) -> str | None:
        return project.successor.slug if project.successor else None

    @staticmethod
    def resolve_stacks(project: Project) -> list[str]:
        return sorted({membership.stack.slug for membership in project.stack_memberships.all()})

    @staticmethod
    def resolve_similar(project: Project) -> list[str]:
        return list(getattr(project, "similar", ()))


class StackMemberOut(Schema):
    slug: str
    role: str = Field(description="In the request's language.")
    role_zh: str
    role_en: str
    optional: bool
    choice_group: str = Field(description="Members sharing a non-empty group are alternatives.")

    @staticmethod
    def resolve_slug(member: StackMember) -> str:
        return member.project.slug


class StackOut(Schema):
    slug: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    scenarios: list[str]
    counterpart: str | None
    featured: bool
    members: list[StackMemberOut]

    @staticmethod
    def resolve_scenarios(stack: Stack) -> list[str]:
        return [term.slug for term in stack.scenarios.all()]

    @staticmethod
    def resolve_counterpart(stack: Stack) -> str | None:
        return stack.counterpart.slug if stack.counterpart else None

    @staticmethod
    def resolve_members(stack: Stack) -> list[StackMember]:
        return list(stack.members.all())


class StackListOut(Schema):
    count: int
    results: list[StackOut]
