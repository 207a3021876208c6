"""The catalog query: the one function the list page and the JSON API both call.

``run_catalog_query`` validates and filters with the django-filter ``ProjectFilterSet`` (SQL),
counts every facet's options in SQL (GROUP BY over the entry columns and the facet M2M tables)
and loads entries only when asked: ``rows[start:stop]`` loads one page (the list page and the
API: ``paginate``, ``exact_page``), ``projects`` all of them (the downloads). With a search
text the shared index ranks the matching ids and only the page's rows are loaded. The number
of SQL queries does not depend on the size of the catalog:

- 1 catalog version read for the vocabularies, stacks, organisations and licences
  (``catalog.vocabularies``, cached per catalog version; 9 more when the catalog changed),
- 1 catalog version read for the search index, with a search text,
- 1 count (or, sorted by relevance, 1 read of the matching ids and names; with the search
  text as the only filter, 1 catalog version read for the cached names instead),
- 1 catalog version read for the facet counts, cached per filters and catalog version; when
  they are not cached yet, 1 query per facet, and 2 more for a selected many-valued facet
  (framework, data type, scale, scenario), whose counts are taken among the entries matching
  every other filter (with the search text as the only filter: none, the search's texts carry
  a facet table, ``facet_table.FacetTable``),
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
from itertools import groupby
from operator import itemgetter

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import textstore
from .facet_table import M2M_FACETS as _M2M_FACETS
from .facet_table import SCALAR_FACETS as _SCALAR_FACETS
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


# Facet -> (the column it groups by on Project, or the M2M field whose table it groups).
assert set(_SCALAR_FACETS) | set(_M2M_FACETS) == {spec.name for spec in FACETS}


def value_counts(*, facet: str, queryset: QuerySet[Project]) -> dict[str, int]:
    """Option -> number of entries of ``queryset`` with it: one GROUP BY query."""
    if facet in _SCALAR_FACETS:
        column = _SCALAR_FACETS[facet]
        rows = (
            Project.objects.filter(pk__in=queryset.values("pk"))
            .order_by()
            .values_list(column)
            .annotate(n=Count("pk"))
        )
    else:
        field = getattr(Project, _M2M_FACETS[facet]).field
        through = field.remote_field.through
        term = field.m2m_reverse_field_name()  # e.g. "framework"
        rows = (
            through.objects.filter(**{f"{field.m2m_field_name()}__in": queryset.values("pk")})
            .order_by()
            .values_list(f"{term}__slug")
            .annotate(n=Count("pk"))
        )
    return dict(rows)


def _lookup(facet: str) -> str:
    return _SCALAR_FACETS.get(facet) or f"{_M2M_FACETS[facet]}__slug"


@dataclass(frozen=True)
class FacetNumbers:
    """One facet's counts, language-free (what ``_facet`` labels), cached per catalog version."""

    with_value: dict[str, int]
    in_selection: int
    outside: dict[str, int]


def facet_numbers(*, facet: str, base: QuerySet[Project], selected: frozenset[str]
                  ) -> FacetNumbers:
    """A facet's counts among ``base`` (the entries matching every other filter): one GROUP BY
    query, two more for a selected many-valued facet."""
    with_value = value_counts(facet=facet, queryset=base)
    in_selection = 0
    outside: dict[str, int] = {}
    if selected and facet in _SCALAR_FACETS:
        # One value per entry: the selection's entries are the sum of its values' counts.
        in_selection = sum(with_value.get(value, 0) for value in selected)
        outside = {value: n for value, n in with_value.items() if value not in selected}
    elif selected:
        chosen = base.filter(**{f"{_lookup(facet)}__in": selected}).values("pk")
        in_selection = Project.objects.filter(pk__in=chosen).count()
        outside = value_counts(facet=facet, queryset=base.exclude(pk__in=chosen))
    return FacetNumbers(with_value=with_value, in_selection=in_selection, outside=outside)


# Facet counts by filters, for the current catalog version (emptied when it moves): the
# unfiltered list and its pages, and any filters asked again, count nothing in SQL.
FACET_CACHE_SIZE = 512
_facet_cache: VersionedCache[dict] = VersionedCache(dict)


def _filters_key(cleaned: Mapping) -> tuple:
    """The applied filters (validated values; sort and page change no count), canonical."""
    return tuple(
        (name, tuple(sorted(value)) if isinstance(value, list | tuple) else value)
        for name, value in sorted(cleaned.items())
        if name != "sort" and value not in (None, "", [], False)
    )


def cached_facet_numbers(*, key: tuple, build: Callable[[], list[FacetNumbers]]
                         ) -> list[FacetNumbers]:
    """``build()`` once per filters ``key`` and catalog version (one query: the version)."""
    store = _facet_cache.get()
    numbers = store.get(key)
    if numbers is None:
        numbers = build()
        if len(store) >= FACET_CACHE_SIZE:
            store.clear()
        store[key] = numbers
    return numbers


def _facet(*, spec, numbers: FacetNumbers, selected: frozenset[str], choices: FilterChoices
           ) -> Facet:
    """One facet's options, labelled in the active language, with their counts."""
    with_value, in_selection, outside = numbers.with_value, numbers.in_selection, numbers.outside
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


def ordered(queryset: QuerySet[Project], *, sort: str) -> QuerySet[Project]:
    """``queryset`` in the list's order (name, or maintenance then name) in SQL."""
    by_name = (Lower("name"), "slug")
    if sort == SortOrder.MAINTENANCE:
        rank = Case(
            *(When(maintenance=key, then=Value(rank)) for key, rank in MAINTENANCE_RANK.items()),
            default=Value(len(MAINTENANCE_RANK)),
            output_field=IntegerField(),
        )
        return queryset.order_by(rank, *by_name)
    return queryset.order_by(*by_name)


def _load_entry_names() -> dict[str, tuple[int, str]]:
    return {slug: (pk, name) for pk, slug, name in
            Project.objects.order_by().values_list("pk", "slug", "name")}


_entry_names: VersionedCache[dict[str, tuple[int, str]]] = VersionedCache(_load_entry_names)


def entry_names() -> dict[str, tuple[int, str]]:
    """Slug -> (pk, name) of every entry, read once per catalog version (then one query)."""
    return _entry_names.get()


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
    """The matching entries in order, loaded a slice at a time (what ``Paginator`` pages).

    ``rows[i:j]`` loads those entries with their facets (a constant number of queries), or
    with what a card shows only (``for_cards()``); ``count()`` is one query (or none when
    ranked by relevance).
    """

    def __init__(
        self,
        *,
        queryset: QuerySet[Project],
        sort: str,
        relevance: dict[str, float],
        query: str,
        searched_only: bool = False,
        cards: bool = False,
    ) -> None:
        self._queryset = queryset
        self._sort = sort
        self._relevance = relevance
        self._query = query
        self._searched_only = searched_only  # the search text is the only filter
        self._cards = cards

    def for_cards(self) -> Rows:
        """The same rows, each loaded with what a result card shows (fewer queries)."""
        rows = Rows(queryset=self._queryset, sort=self._sort, relevance=self._relevance,
                    query=self._query, searched_only=self._searched_only, cards=True)
        if "ranked_ids" in self.__dict__:
            rows.ranked_ids = self.ranked_ids
        return rows

    def _load(self, queryset: QuerySet[Project]) -> QuerySet[Project]:
        return queryset.select_related("category") if self._cards else queryset.with_facets()

    @cached_property
    def ranked_ids(self) -> list[int] | None:
        """With a search text sorted by relevance: the matching ids, best first (names break
        ties); None for the orders SQL applies. With no other filter the matches are read
        from the entries' names cached per catalog version, not from SQL (an IN list of
        thousands of slugs is slow to build)."""
        if not (self._sort == SortOrder.RELEVANCE and self._relevance):
            return None
        if self._searched_only:
            # ``relevance`` comes best first: only entries of equal score are put in their
            # names' order (thousands of matches at 10,000 entries, seldom a tie).
            names = entry_names()
            ids: list[int] = []
            for _score, group in groupby(self._relevance.items(), key=itemgetter(1)):
                tied = [(*names[slug], slug) for slug, _ in group if slug in names]
                if len(tied) > 1:
                    tied.sort(key=lambda row: (row[1].lower(), row[2]))
                ids.extend(pk for pk, _name, _slug in tied)
            return ids
        rows = sorted(
            self._queryset.order_by().values_list("pk", "slug", "name"),
            key=lambda r: (-self._relevance.get(r[1], 0.0), r[2].lower(), r[1]),
        )
        return [pk for pk, _slug, _name in rows]

    @cached_property
    def _count(self) -> int:
        ids = self.ranked_ids
        return len(ids) if ids is not None else self._queryset.count()

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            items = self[index : index + 1] if index >= 0 else self[index:][:1]
            if not items:
                raise IndexError(index)
            return items[0]
        ids = self.ranked_ids
        if ids is not None:
            wanted = ids[index]
            by_id = self._load(Project.objects.all()).in_bulk(wanted)
            projects = [by_id[pk] for pk in wanted if pk in by_id]
        else:
            projects = list(self._load(ordered(self._queryset, sort=self._sort))[index])
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
        queryset: QuerySet[Project],
        facets: Callable[[], list[Facet]],
        sort: str,
        query: str,
        relevance: dict[str, float],
    ) -> None:
        self.form = form
        self.is_valid = is_valid
        self.errors = errors
        self.queryset = queryset  # the filtered entries, unordered and not loaded
        self._facets = facets
        self.sort = sort
        self.query = query
        self.relevance = relevance  # slug -> score, with a search text
        self.rows = Rows(
            queryset=queryset, sort=sort, relevance=relevance, query=query,
            searched_only=bool(query) and {name for name, _value in _filters_key(
                form.cleaned_data)} == {"q"},
        )

    @property
    def count(self) -> int:
        return self.rows.count()

    @cached_property
    def facets(self) -> list[Facet]:
        """Every facet with its options' counts (counted in SQL on first use)."""
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


def run_catalog_query(*, params: QueryDict | Mapping) -> CatalogQuery:
    """Validate ``params``; return the filtered entries (``queryset``, ``rows``) and the facet
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
    queryset = filterset.qs  # the many-valued facets filter by subqueries: each entry once

    def selection(spec) -> frozenset[str]:
        return frozenset(cleaned.get(spec.name) or ())

    def count_facets() -> list[FacetNumbers]:
        result = []
        for spec in FACETS:
            selected = selection(spec)
            if selected:  # counts among the entries matching every *other* filter
                others = params.copy()
                others.pop(spec.name, None)
                base = ProjectFilterSet(others, queryset=Project.objects.all(), choices=choices)
                base.form._relevance = relevance  # the same search text: searched once
                base_qs = base.qs
            else:
                base_qs = queryset
            result.append(facet_numbers(facet=spec.name, base=base_qs, selected=selected))
        return result

    def facets() -> list[Facet]:
        key = _filters_key(cleaned)
        texts = None
        if relevance and {name for name, _value in key} == {"q"}:
            # The search text only: counted in the current version's facet table (not while
            # it is rebuilt: the list shows the database's entries, the counts must too).
            texts = textstore.get_fresh_texts()
        if texts is not None:
            counts = texts.facets.counts(slugs=relevance)
            numbers = [
                FacetNumbers(with_value=counts[spec.name], in_selection=0, outside={})
                for spec in FACETS
            ]
        else:
            numbers = cached_facet_numbers(key=key, build=count_facets)
        return [
            _facet(spec=spec, numbers=counted, selected=selection(spec), choices=choices)
            for spec, counted in zip(FACETS, numbers, strict=True)
        ]

    return CatalogQuery(
        form=form,
        is_valid=is_valid,
        errors=_errors(form),
        queryset=queryset,
        facets=facets,
        sort=form.effective_sort(),
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
