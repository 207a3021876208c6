"""The catalog's filters: GET parameters validated against the database's vocabularies.

``ProjectFilterSet`` is a regular django-filter FilterSet (its ``qs`` filters in SQL).
``catalog.queries.run_catalog_query`` uses the same validated form and the same facet
definitions (``FACETS``) to filter and count in Python over one prefetched list of entries.

Semantics: several values of one parameter are ORed (``?framework=tensorflow&framework=pytorch``),
different parameters are ANDed. An unknown value is a form error, never silently ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, FloatField, IntegerField, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from . import search
from .models import (
    Category,
    DataType,
    Framework,
    Kind,
    Maintenance,
    Project,
    Scale,
    Scenario,
    Stack,
    StackMember,
)


class SortOrder:
    RELEVANCE = "relevance"
    NAME = "name"
    MAINTENANCE = "maintenance"

    CHOICES = (
        (RELEVANCE, _("Relevance")),
        (NAME, _("Name")),
        (MAINTENANCE, _("Maintenance status")),
    )


MAINTENANCE_RANK = {
    Maintenance.ACTIVE.value: 0,
    Maintenance.LOW_ACTIVITY.value: 1,
    Maintenance.UNMAINTAINED.value: 2,
}


@dataclass(frozen=True)
class FacetSpec:
    """One facet: its GET parameter, its heading and the ORM lookup that filters by it."""

    name: str
    label: str
    lookup: str
    many: bool  # a many-to-many relation (needs .distinct())


# The facets, in display order. Parameter names are public (URLs, the API): keep them.
FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("kind", _("Kind"), "kind", many=False),
    FacetSpec("category", _("Category"), "category__slug", many=False),
    FacetSpec("framework", _("Framework"), "frameworks__slug", many=True),
    FacetSpec("data_type", _("Data type"), "data_types__slug", many=True),
    FacetSpec("scale", _("Scale"), "scales__slug", many=True),
    FacetSpec("scenario", _("Scenario"), "scenarios__slug", many=True),
    FacetSpec("maintenance", _("Maintenance"), "maintenance", many=False),
    FacetSpec("org", _("Organisation"), "org", many=False),
    FacetSpec("license", _("Licence"), "license", many=False),
)
FACETS_BY_NAME = {spec.name: spec for spec in FACETS}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Vocabularies:
    """The allowed values of every facet (and of ``stack``), in display order.

    Labels of vocabulary terms are in the language active when this was loaded.
    """

    options: dict[str, tuple[Choice, ...]]
    stacks: tuple[Choice, ...]
    stack_members: dict[str, frozenset[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, *, projects: Iterable[Project] | None = None) -> Vocabularies:
        """Read the vocabularies (5 queries, plus 2 for stacks, plus 1 without ``projects``).

        ``org`` and ``license`` are free text on the entries: their options are the distinct
        values in the catalog, taken from ``projects`` when given.
        """
        if projects is None:
            pairs = list(Project.objects.values_list("org", "license"))
        else:
            pairs = [(project.org, project.license) for project in projects]
        vocab_models = {
            "category": Category,
            "framework": Framework,
            "data_type": DataType,
            "scale": Scale,
            "scenario": Scenario,
        }
        options: dict[str, tuple[Choice, ...]] = {
            "kind": tuple(Choice(value, str(label)) for value, label in Kind.choices),
            "maintenance": tuple(Choice(value, str(label)) for value, label in Maintenance.choices),
            "org": tuple(Choice(org, org) for org in sorted({o for o, _ in pairs}, key=str.lower)),
            "license": tuple(
                Choice(lic, lic) for lic in sorted({lic for _, lic in pairs}, key=str.lower)
            ),
        }
        for name, model in vocab_models.items():
            options[name] = tuple(Choice(term.slug, term.name) for term in model.objects.all())
        stacks = tuple(Choice(stack.slug, stack.name) for stack in Stack.objects.all())
        members: dict[str, set[int]] = {}
        for stack_slug, project_id in StackMember.objects.values_list("stack__slug", "project_id"):
            members.setdefault(stack_slug, set()).add(project_id)
        return cls(
            options={spec.name: options[spec.name] for spec in FACETS},
            stacks=stacks,
            stack_members={slug: frozenset(ids) for slug, ids in members.items()},
        )


class SearchQueryField(forms.CharField):
    """Free text with whitespace collapsed before the length check."""

    def to_python(self, value):
        return search.normalize_query(super().to_python(value))


class FlagField(forms.Field):
    """``1/true/yes/on`` -> True, ``0/false/no/off``/absent -> False; anything else is an error."""

    TRUE = frozenset({"1", "true", "yes", "on"})
    FALSE = frozenset({"", "0", "false", "no", "off"})
    default_error_messages = {"invalid": _("Use 1 or 0.")}

    def to_python(self, value) -> bool:
        if value in (None, True, False):
            return bool(value)
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class FacetChoiceField(forms.MultipleChoiceField):
    """Several values; blank ones (an "any" option of a plain form) are dropped, duplicates
    collapsed, so ``?framework=`` means no filter rather than an error."""

    def to_python(self, value) -> list[str]:
        values = super().to_python(value)
        return list(dict.fromkeys(v for v in values if v.strip()))


class FacetFilter(django_filters.MultipleChoiceFilter):
    field_class = FacetChoiceField


class SearchFilter(django_filters.CharFilter):
    field_class = SearchQueryField


class FlagFilter(django_filters.Filter):
    field_class = FlagField


class ProjectFilterSet(django_filters.FilterSet):
    """Filters for the catalog list; ``vocabularies`` avoids re-reading them when given."""

    q = SearchFilter(
        label=_("Search"),
        method="filter_q",
        max_length=search.MAX_QUERY_LENGTH,
    )
    kind = FacetFilter(label=_("Kind"), method="filter_facet")
    category = FacetFilter(label=_("Category"), method="filter_facet")
    framework = FacetFilter(label=_("Framework"), method="filter_facet")
    data_type = FacetFilter(label=_("Data type"), method="filter_facet")
    scale = FacetFilter(label=_("Scale"), method="filter_facet")
    scenario = FacetFilter(label=_("Scenario"), method="filter_facet")
    maintenance = FacetFilter(label=_("Maintenance"), method="filter_facet")
    maintained = FlagFilter(label=_("Hide unmaintained entries"), method="filter_maintained")
    org = FacetFilter(label=_("Organisation"), method="filter_facet")
    license = FacetFilter(label=_("Licence"), method="filter_facet")
    stack = django_filters.ChoiceFilter(label=_("Stack"), method="filter_stack")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SortOrder.CHOICES, method="filter_sort"
    )

    class Meta:
        model = Project
        fields: Sequence[str] = []

    def __init__(
        self, data=None, queryset=None, *, vocabularies: Vocabularies | None = None, **kwargs
    ) -> None:
        super().__init__(data, queryset, **kwargs)
        self.vocabularies = vocabularies if vocabularies is not None else Vocabularies.load()
        for spec in FACETS:
            self.filters[spec.name].extra["choices"] = [
                (choice.value, choice.label) for choice in self.vocabularies.options[spec.name]
            ]
        self.filters["stack"].extra["choices"] = [
            (choice.value, choice.label) for choice in self.vocabularies.stacks
        ]
        self._relevance: dict[str, float] | None = None

    # --- Values after validation -------------------------------------------------------

    @property
    def query(self) -> str:
        """The validated search text ('' when absent or invalid)."""
        return (self.form.cleaned_data.get("q") or "") if self.is_valid_part("q") else ""

    def is_valid_part(self, name: str) -> bool:
        self.form.is_valid()
        return name in self.form.cleaned_data

    @property
    def relevance(self) -> dict[str, float]:
        """Slug -> score for the validated query (computed once)."""
        if self._relevance is None:
            self._relevance = search.relevance(query=self.query) if self.query else {}
        return self._relevance

    def effective_sort(self) -> str:
        """The requested sort if valid; relevance needs a query, otherwise it means name."""
        requested = self.form.cleaned_data.get("sort") if self.is_valid_part("sort") else ""
        if requested == SortOrder.RELEVANCE and not self.query:
            return SortOrder.NAME
        if requested:
            return requested
        return SortOrder.RELEVANCE if self.query else SortOrder.NAME

    # --- SQL filtering (FilterSet.qs) ---------------------------------------------------

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        cleaned = dict(self.form.cleaned_data)
        cleaned.pop("sort", None)
        for name, value in cleaned.items():
            queryset = self.filters[name].filter(queryset, value)
        return order_queryset(queryset, sort=self.effective_sort(), relevance=self.relevance)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(slug__in=list(self.relevance))

    def filter_facet(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        spec = FACETS_BY_NAME[name]
        queryset = queryset.filter(**{f"{spec.lookup}__in": value})
        return queryset.distinct() if spec.many else queryset

    def filter_maintained(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.maintained() if value else queryset

    def filter_stack(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(pk__in=self.vocabularies.stack_members.get(value, frozenset()))

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # ordering is applied last, in filter_queryset


def order_queryset(queryset: QuerySet, *, sort: str, relevance: dict[str, float]) -> QuerySet:
    name_order = (Lower("name").asc(), "slug")
    if sort == SortOrder.RELEVANCE and relevance:
        score = Case(
            *(When(slug=slug, then=Value(value)) for slug, value in relevance.items()),
            default=Value(0.0),
            output_field=FloatField(),
        )
        return queryset.annotate(relevance=score).order_by("-relevance", *name_order)
    if sort == SortOrder.MAINTENANCE:
        rank = Case(
            *(When(maintenance=key, then=Value(value)) for key, value in MAINTENANCE_RANK.items()),
            default=Value(len(MAINTENANCE_RANK)),
            output_field=IntegerField(),
        )
        return queryset.annotate(maintenance_rank=rank).order_by("maintenance_rank", *name_order)
    return queryset.order_by(*name_order)


def sort_key(project: Project, *, sort: str, relevance: dict[str, float]):
    """The Python equivalent of ``order_queryset`` for an already loaded entry."""
    name = (project.name.lower(), project.slug)
    if sort == SortOrder.RELEVANCE and relevance:
        return (-relevance.get(project.slug, 0.0), *name)
    if sort == SortOrder.MAINTENANCE:
        return (MAINTENANCE_RANK.get(project.maintenance, len(MAINTENANCE_RANK)), *name)
    return name
