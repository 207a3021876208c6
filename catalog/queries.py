"""The catalog query: the one function the list page and the JSON API both call.

``run_catalog_query`` filters with the django-filter ``ProjectFilterSet`` (validation and SQL
filtering), loads every entry once (facets prefetched, for the cards and the facet counts) and
ranks in Python. The number of SQL queries does not depend on the size of the catalog:

- 1 catalog version read for the vocabularies and stacks (``catalog.vocabularies``, cached per
  catalog version; 7 more when the catalog changed),
- 1 catalog version read for the search index, with a search text (a few more when stale),
- 5 for all entries with their facets (``Project.objects.with_facets()``, evaluated once),
- 1 for the ids of the matching entries, and 1 more per facet with a selection (the entries
  matching every other filter, for that facet's counts).

Facet counts say what ticking an option would give. Values of one facet are ORed, so for a
facet F the count of an option is taken among the entries that match every *other* active
filter (including the search text):

- F has no selection: the entries with this option (ticking it gives exactly these);
- an unselected option of F when F has selections: the entries with any selected value *or*
  this one, i.e. the list you get by ticking it too (``CountMeaning.IF_ADDED``);
- a selected option: the entries with this value (its share of the current OR result;
  ``CountMeaning.WITH_VALUE``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .filters import (
    FACETS,
    FilterChoices,
    ProjectFilterForm,
    ProjectFilterSet,
    SortOrder,
    filter_choices,
)
from .models import Maintenance, Project

MAINTENANCE_RANK = {
    Maintenance.ACTIVE.value: 0,
    Maintenance.LOW_ACTIVITY.value: 1,
    Maintenance.UNMAINTAINED.value: 2,
}


class CountMeaning(StrEnum):
    """What ``FacetOption.count`` counts (the template words its tooltip after it)."""

    ENTRIES = "entries"  # entries with this option (no option of the facet is selected)
    IF_ADDED = "if_added"  # the entries ticking this option too would add (OR with the selected)
    WITH_VALUE = "with_value"  # a selected option: entries with this value


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    disabled: bool  # count == 0 and not selected: ticking it would give nothing
    meaning: CountMeaning = CountMeaning.ENTRIES


@dataclass(frozen=True)
class Facet:
    name: str  # the GET parameter
    label: str  # translated lazily
    options: list[FacetOption]

    @property
    def selected_values(self) -> list[str]:
        return [option.value for option in self.options if option.selected]


@dataclass(frozen=True)
class CatalogQuery:
    form: ProjectFilterForm
    is_valid: bool
    errors: dict[str, list[str]]
    projects: list[Project]
    facets: list[Facet]
    sort: str
    query: str

    @property
    def count(self) -> int:
        return len(self.projects)


# What each facet's values are for one loaded entry (facets prefetched).
_FACET_VALUES: dict[str, Callable[[Project], set[str]]] = {
    "kind": lambda p: {p.kind},
    "category": lambda p: {p.category.slug},
    "framework": lambda p: {term.slug for term in p.frameworks.all()},
    "data_type": lambda p: {term.slug for term in p.data_types.all()},
    "scale": lambda p: {term.slug for term in p.scales.all()},
    "scenario": lambda p: {term.slug for term in p.scenarios.all()},
    "maintenance": lambda p: {p.maintenance},
    "org": lambda p: {p.org},
    "license": lambda p: {p.license},
}
assert set(_FACET_VALUES) == {spec.name for spec in FACETS}


def _matching_ids(
    *, params: QueryDict, choices: FilterChoices, without: str | None = None
) -> frozenset[int]:
    """Ids of the entries the FilterSet keeps for ``params`` (less the ``without`` facet)."""
    if without is not None:
        params = params.copy()
        params.pop(without, None)
    filterset = ProjectFilterSet(params, queryset=Project.objects.all(), choices=choices)
    return frozenset(filterset.qs.values_list("pk", flat=True))


def _facets(
    *,
    projects: Sequence[Project],
    others: Mapping[str, Collection[int]],
    cleaned: Mapping,
    choices: FilterChoices,
) -> list[Facet]:
    """``others[facet]``: ids of the entries matching every active filter but that facet."""
    facets = []
    for spec in FACETS:
        values_of = _FACET_VALUES[spec.name]
        selected = frozenset(cleaned.get(spec.name) or ())
        base = others[spec.name]
        with_value: Counter[str] = Counter()  # among entries matching the other filters
        outside: Counter[str] = Counter()  # ... that have none of the selected values
        in_selection = 0  # entries matching the other filters and a selected value
        for project in projects:
            if project.pk not in base:
                continue
            values = values_of(project)
            with_value.update(values)
            if selected and not selected.isdisjoint(values):
                in_selection += 1
            else:
                outside.update(values)
        options = []
        for choice in choices.options[spec.name]:
            if choice.value in selected:
                count, meaning = with_value.get(choice.value, 0), CountMeaning.WITH_VALUE
            elif selected:
                # What ticking it too adds (shown "+N"): values of a facet are ORed.
                count = outside.get(choice.value, 0)
                meaning = CountMeaning.IF_ADDED
            else:
                count, meaning = with_value.get(choice.value, 0), CountMeaning.ENTRIES
            is_selected = choice.value in selected
            gives = in_selection + count if meaning == CountMeaning.IF_ADDED else count
            options.append(
                FacetOption(
                    value=choice.value,
                    label=choice.label,
                    count=count,
                    selected=is_selected,
                    disabled=gives == 0 and not is_selected,
                    meaning=meaning,
                )
            )
        facets.append(Facet(name=spec.name, label=spec.label, options=options))
    return facets


def sort_key(project: Project, *, sort: str, relevance: dict[str, float]):
    """The list's order: relevance (with a query), maintenance status or name; name breaks ties."""
    name = (project.name.lower(), project.slug)
    if sort == SortOrder.RELEVANCE and relevance:
        return (-relevance.get(project.slug, 0.0), *name)
    if sort == SortOrder.MAINTENANCE:
        return (MAINTENANCE_RANK.get(project.maintenance, len(MAINTENANCE_RANK)), *name)
    return name


def _errors(form: ProjectFilterForm) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages]
            for field, messages in form.errors.items()}


def run_catalog_query(*, params: QueryDict | Mapping) -> CatalogQuery:
    """Validate ``params`` and return the ordered entries and the facet counts.

    When some parameters are invalid, ``is_valid`` is False, ``errors`` says why (field ->
    messages) and the results apply only the valid parameters: a page can show the errors
    above the results, the API answers 400.
    """
    if not isinstance(params, QueryDict):
        data = QueryDict(mutable=True)
        for key, value in params.items():
            if isinstance(value, list | tuple):
                data.setlist(key, [str(v) for v in value])
            else:
                data[key] = str(value)
        params = data
    all_projects = list(Project.objects.with_facets())
    choices = filter_choices(projects=all_projects)
    filterset = ProjectFilterSet(params, queryset=Project.objects.all(), choices=choices)
    form = filterset.form
    is_valid = form.is_valid()
    cleaned = form.cleaned_data
    relevance = form.relevance
    sort = form.effective_sort()

    matching_ids = frozenset(filterset.qs.values_list("pk", flat=True))
    matching = [p for p in all_projects if p.pk in matching_ids]
    matching.sort(key=lambda p: sort_key(p, sort=sort, relevance=relevance))
    if form.query:
        for project in matching:
            project.relevance = relevance.get(project.slug, 0.0)
    # A facet's counts are taken among the entries matching every *other* filter.
    others = {
        spec.name: (
            _matching_ids(params=params, choices=choices, without=spec.name)
            if cleaned.get(spec.name)
            else matching_ids
        )
        for spec in FACETS
    }

    return CatalogQuery(
        form=form,
        is_valid=is_valid,
        errors=_errors(form),
        projects=matching,
        facets=_facets(projects=all_projects, others=others, cleaned=cleaned, choices=choices),
        sort=sort,
        query=form.query,
    )


# --- Pagination ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PageResult:
    """A valid page, always; ``message`` explains when the requested page was not usable."""

    page: Page
    message: str | None


def paginate(*, projects: Sequence[Project], page: str | int | None, per_page: int = 12
             ) -> PageResult:
    """Page ``page`` of ``projects``. Not a number -> first page, < 1 -> first page,
    past the end -> last page; each with a message saying so. Never raises."""
    paginator = Paginator(projects, per_page, allow_empty_first_page=True)
    if page is None or (isinstance(page, str) and not page.strip()):
        return PageResult(page=paginator.page(1), message=None)
    text = str(page).strip()
    try:
        # A very long run of digits (int() refuses > 4300) is simply past the end.
        number = int(text) if len(text) <= 18 or not text.isdigit() else paginator.num_pages + 1
    except ValueError:
        return PageResult(
            page=paginator.page(1),
            message=_("“%(page)s” is not a page number; showing the first page.")
            % {"page": text[:20]},
        )
    if number < 1:
        return PageResult(
            page=paginator.page(1),
            message=_("Page numbers start at 1; showing the first page."),
        )
    if number > paginator.num_pages:
        return PageResult(
            page=paginator.page(paginator.num_pages),
            message=ngettext(
                "There is only %(count)d page; showing it.",
                "There are only %(count)d pages; showing the last one.",
                paginator.num_pages,
            )
            % {"count": paginator.num_pages},
        )
    return PageResult(page=paginator.page(number), message=None)


__all__ = [
    "CatalogQuery",
    "CountMeaning",
    "Facet",
    "FacetOption",
    "PageResult",
    "SortOrder",
    "paginate",
    "run_catalog_query",
]
