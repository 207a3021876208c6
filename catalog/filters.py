"""The catalog's filters: a django-filter ``ProjectFilterSet`` over the GET parameters.

The FilterSet validates every parameter against the database's vocabularies (its form is
``ProjectFilterForm``); ``catalog.queries.run_catalog_query`` answers the filters from the
catalog version's ``FacetTable``. Its SQL filters (``.qs``) are the reference semantics the
tests compare the facet table against.

Semantics: several values of one parameter are ORed (``?framework=tensorflow&framework=pytorch``),
different parameters are ANDed. An unknown value is a form error, never silently ignored; the
other, valid parameters still apply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aliadvisor.parsing import boolean_message, parse_bool

from . import search
from .models import Kind, Maintenance, Project
from .vocabularies import Vocabularies, get_vocabularies


class SortOrder(models.TextChoices):
    RELEVANCE = "relevance", _("Relevance")
    NAME = "name", _("Name")
    MAINTENANCE = "maintenance", _("Maintenance status")


@dataclass(frozen=True)
class FacetSpec:
    """One facet: its GET parameter and its heading."""

    name: str
    label: str


# The facets, in display order. Parameter names are public (URLs, the API): keep them.
FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("kind", _("Kind")),
    FacetSpec("category", _("Category")),
    FacetSpec("framework", _("Framework")),
    FacetSpec("data_type", _("Data type")),
    FacetSpec("scale", _("Scale")),
    FacetSpec("scenario", _("Scenario")),
    FacetSpec("maintenance", _("Maintenance")),
    FacetSpec("org", _("Organisation")),
    FacetSpec("license", _("Licence")),
)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


# Facet name -> the ``catalog.vocabularies`` vocabulary its options come from.
FACET_VOCABULARIES = {
    "category": "categories",
    "framework": "frameworks",
    "data_type": "data_types",
    "scale": "scales",
    "scenario": "scenarios",
}


@dataclass(frozen=True)
class FilterChoices:
    """The allowed values of every facet (and of ``stack``), in display order, labelled in the
    language active when built (``filter_choices``, per request)."""

    options: dict[str, tuple[Choice, ...]]
    stacks: tuple[Choice, ...]
    stack_members: dict[str, frozenset[int]] = field(default_factory=dict)


def filter_choices(
    *, vocabularies: Vocabularies | None = None, projects: Iterable[Project] | None = None
) -> FilterChoices:
    """The filters' choices from the cached vocabularies (one query, the catalog version).

    ``org`` and ``license`` are free text on the entries: their options are the distinct
    values in the catalog (cached with the vocabularies), or in ``projects`` when given.
    """
    vocabularies = vocabularies if vocabularies is not None else get_vocabularies()
    if projects is None:
        orgs, licenses = vocabularies.orgs, vocabularies.licenses
    else:
        pairs = [(project.org, project.license) for project in projects]
        orgs = tuple(sorted({o for o, _ in pairs}, key=str.lower))
        licenses = tuple(sorted({lic for _, lic in pairs}, key=str.lower))
    options: dict[str, tuple[Choice, ...]] = {
        "kind": tuple(Choice(value, str(label)) for value, label in Kind.choices),
        "maintenance": tuple(Choice(value, str(label)) for value, label in Maintenance.choices),
        "org": tuple(Choice(org, org) for org in orgs),
        "license": tuple(Choice(lic, lic) for lic in licenses),
    }
    for name, vocabulary in FACET_VOCABULARIES.items():
        options[name] = tuple(
            Choice(slug, label) for slug, label in vocabularies.choices(vocabulary=vocabulary)
        )
    return FilterChoices(
        options={spec.name: options[spec.name] for spec in FACETS},
        stacks=tuple(
            Choice(slug, label) for slug, label in vocabularies.choices(vocabulary="stacks")
        ),
        stack_members=vocabularies.stack_members,
    )


class SearchQueryField(forms.CharField):
    """Free text with whitespace collapsed before the length check."""

    def to_python(self, value):
        return search.normalize_query(super().to_python(value))


class FlagField(forms.Field):
    """Yes/no (``aliadvisor.parsing.parse_bool``: absent is no); anything else is an error."""

    def to_python(self, value) -> bool:
        parsed = parse_bool(value)
        if parsed is None:
            raise ValidationError(boolean_message(), code="invalid")
        return parsed


class FacetChoiceField(forms.MultipleChoiceField):
    """Several values; blank ones (an "any" option of a plain form) are dropped, duplicates
    collapsed, so ``?framework=`` means no filter rather than an error."""

    def to_python(self, value) -> list[str]:
        values = super().to_python(value)
        return list(dict.fromkeys(v for v in values if v.strip()))


class ProjectFilterForm(forms.Form):
    """The form behind ``ProjectFilterSet``: the filters add their fields to it; it adds the sort
    order, labels every choice from ``choices`` (the vocabularies, per request) and offers the
    validated search text, its relevance scores and the effective sort order."""

    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SortOrder.choices)

    def __init__(self, data=None, *, choices: FilterChoices | None = None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.choices = choices if choices is not None else filter_choices()
        for spec in FACETS:
            self.fields[spec.name].choices = [
                (choice.value, choice.label) for choice in self.choices.options[spec.name]
            ]
        self.fields["stack"].choices = [
            (choice.value, choice.label) for choice in self.choices.stacks
        ]
        self._relevance: dict[str, float] | None = None

    def is_valid_part(self, name: str) -> bool:
        self.is_valid()
        return name in self.cleaned_data

    @property
    def query(self) -> str:
        """The validated search text ('' when absent or invalid)."""
        return (self.cleaned_data.get("q") or "") if self.is_valid_part("q") else ""

    @property
    def relevance(self) -> dict[str, float]:
        """Slug -> score for the validated query (computed once)."""
        if self._relevance is None:
            self._relevance = search.relevance(query=self.query) if self.query else {}
        return self._relevance

    def effective_sort(self) -> str:
        """The requested sort if valid; relevance needs a query, otherwise it means name."""
        requested = self.cleaned_data.get("sort") if self.is_valid_part("sort") else ""
        if requested == SortOrder.RELEVANCE and not self.query:
            return SortOrder.NAME
        if requested:
            return requested
        return SortOrder.RELEVANCE if self.query else SortOrder.NAME


class FacetFilter(django_filters.MultipleChoiceFilter):
    """A facet: several values ORed; blank values dropped (``FacetChoiceField``)."""

    field_class = FacetChoiceField


class LinkedFacetFilter(FacetFilter):
    """A many-valued facet (``relation``: a many-to-many field of ``Project``): the entries
    with any of the values, as a subquery of its link table. Joined instead, an entry would
    come once per matching value and need DISTINCT; several such facets multiply the join
    (10,000 entries: a third of a filtered page's time)."""

    def __init__(self, *, relation: str, **kwargs) -> None:
        self.relation = relation
        super().__init__(field_name=f"{relation}__slug", **kwargs)

    def filter(self, qs: QuerySet[Project], value) -> QuerySet[Project]:
        if not value:
            return qs
        field = Project._meta.get_field(self.relation)
        linked = field.remote_field.through.objects.filter(
            **{f"{field.m2m_reverse_field_name()}__slug__in": value}
        ).values(f"{field.m2m_field_name()}_id")
        return qs.filter(pk__in=linked)


class SearchFilter(django_filters.CharFilter):
    field_class = SearchQueryField


class FlagFilter(django_filters.Filter):
    field_class = FlagField


class ProjectFilterSet(django_filters.FilterSet):
    """The catalog list's filters (the page and ``/api/projects/`` share it).

    ``choices`` holds the allowed values of every facet (``filter_choices``); pass it when
    the caller has read them already.
    """

    q = SearchFilter(
        label=_("Search"), method="filter_q", max_length=search.MAX_QUERY_LENGTH
    )
    kind = FacetFilter(field_name="kind", label=_("Kind"), distinct=False)
    category = FacetFilter(field_name="category__slug", label=_("Category"), distinct=False)
    framework = LinkedFacetFilter(relation="frameworks", label=_("Framework"))
    data_type = LinkedFacetFilter(relation="data_types", label=_("Data type"))
    scale = LinkedFacetFilter(relation="scales", label=_("Scale"))
    scenario = LinkedFacetFilter(relation="scenarios", label=_("Scenario"))
    maintenance = FacetFilter(field_name="maintenance", label=_("Maintenance"), distinct=False)
    maintained = FlagFilter(label=_("Hide unmaintained entries"), method="filter_maintained")
    org = FacetFilter(field_name="org", label=_("Organisation"), distinct=False)
    license = FacetFilter(field_name="license", label=_("Licence"), distinct=False)
    stack = django_filters.ChoiceFilter(label=_("Stack"), method="filter_stack")

    class Meta:
        model = Project
        fields: list[str] = []
        form = ProjectFilterForm

    def __init__(
        self,
        data=None,
        queryset: QuerySet[Project] | None = None,
        *,
        choices: FilterChoices | None = None,
        **kwargs,
    ) -> None:
        self.choices = choices if choices is not None else filter_choices()
        super().__init__(data, queryset=queryset, **kwargs)

    @property
    def form(self) -> ProjectFilterForm:
        if not hasattr(self, "_form"):
            form_class = self.get_form_class()
            self._form = form_class(
                self.data if self.is_bound else None,
                prefix=self.form_prefix,
                choices=self.choices,
            )
        return self._form

    def filter_queryset(self, queryset: QuerySet[Project]) -> QuerySet[Project]:
        # The form's ``sort`` orders the results (in ``run_catalog_query``); it filters nothing.
        for name, value in self.form.cleaned_data.items():
            if name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_q(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return queryset.filter(slug__in=list(self.form.relevance))

    def filter_maintained(
        self, queryset: QuerySet[Project], name: str, value: bool
    ) -> QuerySet[Project]:
        return queryset.exclude(maintenance=Maintenance.UNMAINTAINED) if value else queryset

    def filter_stack(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return queryset.filter(pk__in=self.choices.stack_members.get(value, frozenset()))
