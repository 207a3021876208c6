"""The catalog query: the one function the list page and the JSON API both call.

``run_catalog_query`` validates the filters with the django-filter ``ProjectFilterSet`` and
answers them from the catalog version's ``FacetTable`` (in memory): which entries match, in
which order, and every facet's option counts. Entries are loaded only when asked:
``rows[start:stop]`` loads one page (the list page and the API: ``paginate``, ``exact_page``),
``projects`` all of them (the downloads). With a search text the shared index scores the
matches. The number of SQL queries does not depend on the size of the catalog:

- 1 catalog version read for the vocabularies, stacks, organisations and licences
  (``catalog.vocabularies``, cached per catalog version; 9 more when the catalog changed),
- 1 catalog version read for the facet table (5 more when the catalog changed),
- 1 catalog version read for the search index, with a search text,
- for a page: 1 for its rows, 1 for their categories and successors... (5 with facets).

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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .facet_table import FACET_NAMES, FacetCounts, FacetTable, Mask, load_facet_table
from .filters import (
    FACETS,
    FilterChoices,
    ProjectFilterForm,
    ProjectFilterSet,
    SortOrder,
    filter_choices,
)
from .models import Maintenance, Project
from .versioning import VersionedCache
from .vocabularies import get_vocabularies


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


assert set(FACET_NAMES) == {spec.name for spec in FACETS}

_facet_tables: VersionedCache[FacetTable] = VersionedCache(load_facet_table)


def facet_table() -> FacetTable:
    """The current catalog version's facet table (one query; read again after a change)."""
    return _facet_tables.get()


def _facet(*, spec, numbers: FacetCounts, selected: frozenset[str], choices: FilterChoices
           ) -> Facet:
    """One facet's options, labelled in the active language, with their counts."""
    with_value, in_selection = numbers.with_value, numbers.in_selection
    outside = numbers.outside or {}
    options = []
    for choice in choices.options[spec.name]:
        is_selected = choice.value in selected
        if is_selected:
            count, meaning = with_value.get(choice.value, 0), CountMeaning.WITH_VALUE
        elif selected:
            # What ticking it too adds (shown "+N"): values of a facet are ORed.
            count = outside.get(choice.value, 0)
            meaning = CountMeaning.IF_ADDED
        else:
            count, meaning = with_value.get(choice.value, 0), CountMeaning.ENTRIES
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
    return Facet(name=spec.name, label=spec.label, options=options)


def attach_card_frameworks(projects: Sequence[Project]) -> None:
    """Set ``card_frameworks`` (vocabulary terms, in display order) on each of ``projects``:
    one query over the link table, the names from the vocabularies cached per version."""
    terms = {term.slug: term for term in get_vocabularies().frameworks}
    order = {slug: position for position, slug in enumerate(terms)}
    slugs: dict[int, list[str]] = {}
    links = Project.frameworks.through.objects.filter(
        project_id__in=[project.pk for project in projects]
    ).values_list("project_id", "framework__slug")
    for project_id, slug in links:
        slugs.setdefault(project_id, []).append(slug)
    for project in projects:
        found = sorted(slugs.get(project.pk, ()), key=lambda slug: order.get(slug, len(order)))
        project.card_frameworks = [terms[slug] for slug in found if slug in terms]


class Rows(Sequence):
    """The matching entries in order (their ids known), loaded a slice at a time (what
    ``Paginator`` pages).

    ``rows[i:j]`` loads those entries with their facets (a constant number of queries), or
    with what a card shows only (``for_cards()``); ``count()`` reads nothing.
    """

    def __init__(
        self, *, ids: list[int], relevance: dict[str, float], query: str, cards: bool = False
    ) -> None:
        self.ids = ids
        self._relevance = relevance
        self._query = query
        self._cards = cards

    def for_cards(self) -> Rows:
        """The same rows, each loaded with what a result card shows (fewer queries)."""
        return Rows(ids=self.ids, relevance=self._relevance, query=self._query, cards=True)

    def _load(self, queryset: QuerySet[Project]) -> QuerySet[Project]:
        return queryset.select_related("category") if self._cards else queryset.with_facets()

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            items = self[index : index + 1] if index >= 0 else self[index:][:1]
            if not items:
                raise IndexError(index)
            return items[0]
        wanted = self.ids[index]
        by_id = self._load(Project.objects.all()).in_bulk(wanted)
        # An entry deleted since the facet table was read is left out.
        projects = [by_id[pk] for pk in wanted if pk in by_id]
        if self._cards:
            attach_card_frameworks(projects)
        if self._query:
            for project in projects:
                project.relevance = self._relevance.get(project.slug, 0.0)
        return projects


class CatalogQuery:
    """The validated filters, the facet counts and the matching entries (loaded on demand)."""

    def __init__(
        self,
        *,
        form: ProjectFilterForm,
        is_valid: bool,
        errors: dict[str, list[str]],
        ids: list[int],
        table: FacetTable,
        matching: Mask,
        facets: Callable[[], list[Facet]],
        sort: str,
        query: str,
        relevance: dict[str, float],
    ) -> None:
        self.form = form
        self.is_valid = is_valid
        self.errors = errors
        self.table = table  # the catalog version's facet table ...
        self.matching = matching  # ... and which of its rows match
        self._facets = facets
        self.sort = sort
        self.query = query
        self.relevance = relevance  # slug -> score, with a search text
        self.rows = Rows(ids=ids, relevance=relevance, query=query)

    @property
    def count(self) -> int:
        return self.rows.count()

    @cached_property
    def facets(self) -> list[Facet]:
        """Every facet with its options' counts (counted on first use)."""
        return self._facets()

    @cached_property
    def projects(self) -> list[Project]:
        """Every matching entry in order, with its facets (loads them all: prefer ``rows``)."""
        return self.rows[0 : self.count]


def _errors(form: ProjectFilterForm) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages]
            for field, messages in form.errors.items()}


def _as_querydict(params: QueryDict | Mapping) -> QueryDict:
    if isinstance(params, QueryDict):
        return params
    data = QueryDict(mutable=True)
    for key, value in params.items():
        if isinstance(value, list | tuple):
            data.setlist(key, [str(v) for v in value])
        else:
            data[key] = str(value)
    return data


def _other_filters(*, table: FacetTable, form: ProjectFilterForm, choices: FilterChoices
                   ) -> Mask:
    """The entries the filters that are not facets let through: the search text, "hide
    unmaintained" and the stack (each applied only when valid, as ``ProjectFilterSet`` does)."""
    cleaned = form.cleaned_data
    mask = table.everything()
    if form.query:
        mask &= table.of_slugs(form.relevance)
    if cleaned.get("maintained"):
        mask &= ~table.with_any("maintenance", [Maintenance.UNMAINTAINED.value])
    if cleaned.get("stack"):
        mask &= table.of_pks(choices.stack_members.get(cleaned["stack"], frozenset()))
    return mask


def run_catalog_query(*, params: QueryDict | Mapping) -> CatalogQuery:
    """Validate ``params``; return the matching entries (``rows``) and the facet
    counts.

    When some parameters are invalid, ``is_valid`` is False, ``errors`` says why (field ->
    messages) and the results apply only the valid parameters: a page can show the errors
    above the results, the API answers 400.
    """
    params = _as_querydict(params)
    choices = filter_choices()
    filterset = ProjectFilterSet(params, queryset=Project.objects.all(), choices=choices)
    form = filterset.form
    is_valid = form.is_valid()
    cleaned = form.cleaned_data
    relevance = form.relevance
    table = facet_table()
    selections = {
        spec.name: frozenset(cleaned.get(spec.name) or ()) for spec in FACETS
    }
    others = _other_filters(table=table, form=form, choices=choices)
    matching = table.matching(selections, within=others)
    sort = form.effective_sort()
    if sort == SortOrder.RELEVANCE and relevance:
        ids = table.ranked_pks(matching, relevance=relevance)
    else:
        ids = table.ordered_pks(matching, by_maintenance=sort == SortOrder.MAINTENANCE)

    def facets() -> list[Facet]:
        result = []
        among_matching = table.counts(matching)
        for spec in FACETS:
            selected = selections[spec.name]
            if selected:  # counted among the entries matching every *other* filter
                base = table.matching({**selections, spec.name: frozenset()}, within=others)
                numbers = table.facet_counts(spec.name, base=base, selected=selected)
            else:
                numbers = FacetCounts(with_value=among_matching[spec.name])
            result.append(_facet(spec=spec, numbers=numbers, selected=selected, choices=choices))
        return result

    return CatalogQuery(
        form=form,
        is_valid=is_valid,
        errors=_errors(form),
        ids=ids,
        table=table,
        matching=matching,
        facets=facets,
        sort=sort,
        query=form.query,
        relevance=relevance,
    )


# --- Pagination ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PageResult:
    """A valid page, always; ``message`` explains when the requested page was not usable."""

    page: Page
    message: str | None

    @property
    def numbers(self):
        """The page links to show: the first and last, two on each side of the current one,
        ``Paginator.ELLIPSIS`` for the gaps (not 834 links at 10,000 entries)."""
        return self.page.paginator.get_elided_page_range(
            self.page.number, on_each_side=2, on_ends=1
        )

    @property
    def ellipsis(self) -> str:
        return str(self.page.paginator.ELLIPSIS)


def paginate(*, projects: Sequence[Project] | Rows, page: str | int | None, per_page: int = 12
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


class PageOutOfRange(ValueError):
    """The requested page is past the last one (``str()`` is the message, translated)."""


def exact_page(*, rows: Sequence[Project] | Rows, number: int, per_page: int) -> Page:
    """Page ``number`` (from 1) of ``rows``, as asked or not at all (the API's rule, where the
    list page clamps): past the last page raises ``PageOutOfRange``; page 1 of nothing is an
    empty page. Counts once and loads only the page's rows."""
    paginator = Paginator(rows, per_page, allow_empty_first_page=True)
    if number > paginator.num_pages:
        raise PageOutOfRange(
            ngettext(
                "Past the last page: there is %(count)d page at this page size.",
                "Past the last page: there are %(count)d pages at this page size.",
                paginator.num_pages,
            )
            % {"count": paginator.num_pages}
        )
    return paginator.page(number)


__all__ = [
    "CatalogQuery",
    "CountMeaning",
    "Facet",
    "FacetOption",
    "PageOutOfRange",
    "PageResult",
    "Rows",
    "SortOrder",
    "exact_page",
    "paginate",
    "run_catalog_query",
]
