"""What the catalog's pages show, gathered from the database: small typed functions, each with a
fixed number of queries, called by the thin views in ``catalog.views``.

Home (categories, featured stacks), list (error list, active filter chips, links that keep the
filters), detail (related entries, links, facets, the advisor link) and the comparison table.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.core.validators import slug_re
from django.db.models import Count, Prefetch
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import health
from .filters import Choice
from .models import (
    Category,
    Fact,
    Link,
    LinkType,
    Maintenance,
    Project,
    RelationType,
    Stack,
    StackMember,
    pick_language,
)
from .queries import CatalogQuery
from .search import similar_projects

COMPARE_MIN = 2
COMPARE_MAX = 4
COMPARE_FEATURES = 5
SIMILAR_LIMIT = 5
FEATURES_LABEL = _("Key features")
MAX_SLUG_LENGTH = 60
MAX_IGNORED_ECHO = 20  # characters of an ignored compare value quoted back in the message
MAX_ECHO_LENGTH = 300  # user text echoed back into the search box

# How a relation reads from its target's end: "EasyRec runs on DeepRec" (the type's own
# label, from the source's page) / "DeepRec: platform for EasyRec".
RELATION_LABELS_IN: dict[str, Promise] = {
    RelationType.INTEGRATES_WITH: _("Integrates with"),
    RelationType.RUNS_ON: _("Platform for"),
    RelationType.PART_OF: _("Includes"),
    RelationType.ALTERNATIVE_TO: _("Alternative to"),
    RelationType.SUCCESSOR_OF: _("Succeeded by"),
}


# --- Home ----------------------------------------------------------------------------------


def home_categories() -> list[Category]:
    """Categories that hold entries, each with ``entry_count``: one query."""
    return list(
        Category.objects.annotate(entry_count=Count("projects"))
        .filter(entry_count__gt=0)
        .order_by("position", "slug")
    )


def featured_stacks() -> list[Stack]:
    return list(Stack.objects.featured().with_members())


# --- List ----------------------------------------------------------------------------------


def querystring_without(*, params: QueryDict, drop: tuple[str, ...]) -> str:
    """The query string minus some keys (e.g. ``page``) and empty values, for links that
    keep the filters (``?q=&sort=`` from a plain form submission means nothing)."""
    pairs = [
        (key, value)
        for key, values in params.lists()
        if key not in drop
        for value in values
        if value.strip()
    ]
    return urlencode(pairs)


def error_list(*, query: CatalogQuery) -> list[tuple[str, list[str]]]:
    """(field label, messages) for every invalid parameter."""
    fields = query.form.fields
    items = []
    for name, messages in query.errors.items():
        label = fields[name].label if name in fields else name
        items.append((str(label), messages))
    return items


def stack_choice(*, query: CatalogQuery) -> Choice | None:
    """The selected stack (value, label) when the list is restricted to one."""
    selected = query.form.cleaned_data.get("stack")
    if not selected:
        return None
    return next((c for c in query.form.choices.stacks if c.value == selected), None)


@dataclass(frozen=True)
class ActiveFilter:
    """A selected facet option, with the link that removes it."""

    label: str
    facet_label: str
    remove_querystring: str


def active_filters(*, query: CatalogQuery) -> list[ActiveFilter]:
    chips: list[ActiveFilter] = []
    params = query.form.data
    for facet in query.facets:
        for option in facet.options:
            if not option.selected:
                continue
            pairs = [
                (key, value)
                for key, values in params.lists()
                if key != "page"
                for value in values
                if value.strip() and not (key == facet.name and value == option.value)
            ]
            chips.append(
                ActiveFilter(
                    label=str(option.label),
                    facet_label=str(facet.label),
                    remove_querystring=urlencode(pairs),
                )
            )
    return chips


# --- Detail --------------------------------------------------------------------------------


@dataclass
class RelatedGroup:
    label: str
    projects: list[Project] = field(default_factory=list)


@dataclass
class LinkGroup:
    label: str
    links: list[Link] = field(default_factory=list)


def get_project_for_detail(*, slug: str) -> Project:
    """The entry with everything its page shows, in a fixed number of queries (or 404)."""
    queryset = Project.objects.with_detail()
    try:
        return queryset.get(slug=slug)
    except Project.DoesNotExist as error:
        raise Http404("No such entry") from error


def related_groups(*, project: Project) -> list[RelatedGroup]:
    """Related entries grouped under a human label, relations read from both ends."""
    groups: OrderedDict[str, RelatedGroup] = OrderedDict()
    seen: set[tuple[str, int]] = set()

    def add(label: str | Promise, other: Project) -> None:
        key = str(label)
        if (key, other.pk) in seen:
            return
        seen.add((key, other.pk))
        groups.setdefault(key, RelatedGroup(label=key)).projects.append(other)

    for relation in project.relations_out.all():
        add(relation.get_type_display(), relation.target)
    for relation in project.relations_in.all():
        add(RELATION_LABELS_IN.get(relation.type, relation.get_type_display()), relation.source)
    return list(groups.values())


def directed_relations(*, project: Project) -> list[tuple[str, str, list[Project]]]:
    """(label, "out" or "in", entries) for the neighbourhood picture: relations from this
    entry (read with their type's label) and to it (read from its end)."""
    groups: OrderedDict[tuple[str, str], list[Project]] = OrderedDict()
    for relation in project.relations_out.all():
        key = (str(relation.get_type_display()), "out")
        groups.setdefault(key, []).append(relation.target)
    for relation in project.relations_in.all():
        label = RELATION_LABELS_IN.get(relation.type, relation.get_type_display())
        groups.setdefault((str(label), "in"), []).append(relation.source)
    return [(label, direction, items) for (label, direction), items in groups.items()]


def link_groups(*, project: Project) -> list[LinkGroup]:
    order = {value: index for index, value in enumerate(LinkType.values)}
    groups: dict[str, LinkGroup] = {}
    for link in sorted(project.links.all(), key=lambda item: order.get(item.type, 99)):
        label = str(LinkType(link.type).label) if link.type in order else link.type
        groups.setdefault(link.type, LinkGroup(label=label)).links.append(link)
    return list(groups.values())


def similar_entries(*, project: Project, limit: int = SIMILAR_LIMIT) -> list[Project]:
    """Entries whose text is closest to this one (one query for the projects)."""
    ranked = [slug for slug, _score in similar_projects(slug=project.slug, limit=limit)]
    if not ranked:
        return []
    by_slug = {
        item.slug: item
        for item in Project.objects.filter(slug__in=ranked).select_related("category")
    }
    return [by_slug[slug] for slug in ranked if slug in by_slug]


def facet_groups(*, project: Project) -> list[tuple[str, list]]:
    """(label, terms) for each vocabulary; every term links back to the filtered list."""
    return [
        (str(_("Frameworks")), list(project.frameworks.all())),
        (str(_("Data types")), list(project.data_types.all())),
        (str(_("Scales")), list(project.scales.all())),
        (str(_("Scenarios")), list(project.scenarios.all())),
    ]


@dataclass(frozen=True)
class SourceLink:
    checked: date
    href: str


@dataclass
class SourceRow:
    """One fact's sources on the detail page: "Licence — checked 2026-12-01, source"."""

    label: str
    links: list[SourceLink] = field(default_factory=list)


def source_rows(*, project: Project) -> list[SourceRow]:
    """The entry's fact sources, one row per fact (a relation named by its type and target),
    in the order of ``Fact``. Expects ``sources`` and ``relations_out__target`` prefetched."""
    targets = {
        f"{relation.type}:{relation.target.slug}": relation
        for relation in project.relations_out.all()
    }
    rows: dict[tuple[str, str], SourceRow] = {}
    for source in project.sources_in_order():
        key = (source.fact, source.detail)
        if key not in rows:
            label = str(Fact(source.fact).label) if source.fact in Fact.values else source.fact
            relation = targets.get(source.detail) if source.fact == Fact.RELATION else None
            if relation is not None:
                detail = f"{relation.get_type_display()} {relation.target.display_name}"
            else:
                detail = source.detail
            if detail:
                label = _("%(fact)s: %(detail)s") % {"fact": label, "detail": detail}
            rows[key] = SourceRow(label=str(label))
        rows[key].links.append(SourceLink(checked=source.checked, href=source.href))
    return list(rows.values())


@dataclass(frozen=True)
class HealthSuggestion:
    """What the health rule suggests when it differs from the editor's label, and why."""

    suggested: str
    suggested_label: str
    label: str  # the editor's, which stays the answer
    reason: str


def health_suggestion(*, project: Project) -> HealthSuggestion | None:
    if not project.maintenance_disagreement:
        return None
    suggested = project.suggested_maintenance or ""
    if project.archived:
        reason = str(_("the repository is archived"))
    else:
        months = health.months_between(
            project.last_commit, project.health_checked or timezone.localdate()
        )
        reason = ngettext(
            "last commit %(count)d month before the check",
            "last commit %(count)d months before the check",
            months,
        ) % {"count": months}
    return HealthSuggestion(
        suggested=suggested,
        suggested_label=str(Maintenance(suggested).label),
        label=project.get_maintenance_display(),
        reason=reason,
    )


def advisor_url(*, project: Project) -> str:
    """The advisor's questionnaire, pre-filled from this entry's facets."""
    params: list[tuple[str, str]] = []
    scenarios = list(project.scenarios.all())
    frameworks = [term for term in project.frameworks.all() if term.slug != "any"]
    data_types = [term for term in project.data_types.all() if term.slug != "any"]
    if scenarios:
        params.append(("scenario", scenarios[0].slug))
    if frameworks:
        params.append(("framework", frameworks[0].slug))
    if data_types:
        params.append(("data_type", data_types[0].slug))
    params.append(("q", project.display_name))
    return f"{reverse('advisor:questionnaire')}?{urlencode(params)}"


# --- Compare -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareRow:
    label: str
    cells: list[list[tuple[str, str]]]  # per entry: (text, url) items; url may be ""
    differs: bool
    as_list: bool = False  # long texts (features) render as a list, others inline


@dataclass
class Comparison:
    projects: list[Project]
    rows: list[CompareRow]
    messages: list[str]
    requested: list[str]
    remove_urls: list[str] = field(default_factory=list)  # per project: the table without it

    @property
    def columns(self) -> list[tuple[Project, str]]:
        """(entry, link that removes it from the comparison) per column."""
        return list(zip(self.projects, self.remove_urls, strict=True))

    @property
    def can_add(self) -> bool:
        return len(self.projects) < COMPARE_MAX


def is_plausible_slug(value: str) -> bool:
    """A value that can be an entry's slug: slug characters only, not too long.

    Anything else (NUL bytes, spaces, markup...) never reaches the database: PostgreSQL
    rejects a NUL byte in a text parameter with a DataError.
    """
    return len(value) <= MAX_SLUG_LENGTH and slug_re.match(value) is not None


def short_echo(value: str, *, limit: int = MAX_IGNORED_ECHO) -> str:
    """``value`` cut to ``limit`` characters, control characters shown as U+FFFD (the
    template escapes the rest)."""
    shown = "".join(char if char.isprintable() else "\ufffd" for char in value[:limit])
    return shown + "…" if len(value) > limit else shown


def parse_compare_slugs(*, raw: list[str]) -> tuple[list[str], list[str]]:
    """Distinct, valid slugs in the order given, and messages about what was dropped."""
    messages: list[str] = []
    slugs: list[str] = []
    ignored: list[str] = []
    duplicates = False
    for value in raw:
        value = value.strip()
        if not value:
            continue
        if not is_plausible_slug(value):
            ignored.append(value)
            continue
        if value in slugs:
            duplicates = True
            continue
        slugs.append(value)
    if duplicates:
        messages.append(str(_("Each entry is compared once; duplicates were ignored.")))
    if ignored:
        messages.append(
            ngettext(
                "%(count)d value was ignored: it is not an entry's slug (“%(example)s”).",
                "%(count)d values were ignored: they are not entries' slugs (e.g. “%(example)s”).",
                len(ignored),
            )
            % {"count": len(ignored), "example": short_echo(ignored[0])}
        )
    return slugs, messages


def _terms_cell(terms) -> list[tuple[str, str]]:
    return [(term.name, term.get_absolute_url()) for term in terms]


def build_comparison(*, raw: list[str]) -> Comparison:
    slugs, messages = parse_compare_slugs(raw=raw)
    found = {
        project.slug: project
        for project in Project.objects.with_facets()
        .prefetch_related(
            Prefetch(
                "stack_memberships",
                queryset=StackMember.objects.select_related("stack").order_by(
                    "stack__position", "stack__slug"
                ),
            )
        )
        .filter(slug__in=slugs)
    }
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        messages.append(
            ngettext(
                "Unknown entry: %(slugs)s.",
                "Unknown entries: %(slugs)s.",
                len(unknown),
            )
            % {"slugs": ", ".join(unknown)}
        )
    projects = [found[slug] for slug in slugs if slug in found]
    if len(projects) > COMPARE_MAX:
        messages.append(
            str(_("At most %(max)d entries can be compared; showing the first %(max)d."))
            % {"max": COMPARE_MAX}
        )
        projects = projects[:COMPARE_MAX]
    if len(projects) < COMPARE_MIN:
        messages.append(
            str(_("Pick at least %(min)d entries to compare (you can compare up to %(max)d)."))
            % {"min": COMPARE_MIN, "max": COMPARE_MAX}
        )
    return Comparison(
        projects=projects,
        rows=comparison_rows(projects=projects),
        messages=messages,
        requested=slugs,
        remove_urls=remove_urls(slugs=[project.slug for project in projects]),
    )


def remove_urls(*, slugs: list[str]) -> list[str]:
    """Per slug, the comparison URL of the other slugs (in their order)."""
    base = reverse("catalog:compare")
    return [
        f"{base}?{urlencode([('p', other) for other in slugs if other != slug])}"
        for slug in slugs
    ]


def comparison_rows(*, projects: list[Project]) -> list[CompareRow]:
    if not projects:
        return []
    specs: list[tuple[Promise, list[list[tuple[str, str]]]]] = [
        (_("Kind"), [[(p.get_kind_display(), f"{reverse('catalog:list')}?kind={p.kind}")]
                     for p in projects]),
        (_("Category"), [[(p.category.name, p.category.get_absolute_url())] for p in projects]),
        (_("Organisation"), [[(p.org, "")] for p in projects]),
        (_("Licence"), [[(p.license, "")] for p in projects]),
        (_("Maintenance"), [[(p.get_maintenance_display(), "")] for p in projects]),
        (_("Frameworks"), [_terms_cell(p.frameworks.all()) for p in projects]),
        (_("Data types"), [_terms_cell(p.data_types.all()) for p in projects]),
        (_("Scales"), [_terms_cell(p.scales.all()) for p in projects]),
        (_("Scenarios"), [_terms_cell(p.scenarios.all()) for p in projects]),
        (FEATURES_LABEL, [[(text, "") for text in p.features[:COMPARE_FEATURES]]
                             for p in projects]),
        (_("Stacks"), [[(m.stack.name, m.stack.get_absolute_url())
                        for m in p.stack_memberships.all()] for p in projects]),
    ]
    rows = []
    for label, cells in specs:
        distinct = {tuple(text for text, _url in cell) for cell in cells}
        rows.append(
            CompareRow(
                label=str(label),
                cells=cells,
                differs=len(distinct) > 1,
                as_list=label is FEATURES_LABEL,
            )
        )
    return rows


def addable_entries(*, exclude: set[str]) -> list[tuple[str, str]]:
    """(slug, name in the active language) of every entry not yet compared: one query."""
    rows = Project.objects.exclude(slug__in=exclude).values_list("slug", "name", "name_zh")
    named = [(slug, pick_language(name_zh, name)) for slug, name, name_zh in rows]
    return sorted(named, key=lambda item: item[1].lower())
