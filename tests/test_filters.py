"""The catalog query layer: filters, validation, disjunctive facet counts, sorting, pagination.

Most tests use a small self-built catalog (``small_catalog``) whose counts are checked by hand;
a few run against the real catalog fixture (``real_catalog``; they fail if it is not loaded).
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from catalog import search
from catalog.models import (
    Framework,
    Project,
)
from catalog.queries import CountMeaning, paginate, run_catalog_query
from catalog.vocabularies import get_vocabularies
from tests.helpers import SMALL, make_project, query, slugs

pytestmark = pytest.mark.django_db


def counts(result, facet: str) -> dict[str, int]:
    return {o.value: o.count for f in result.facets if f.name == facet for o in f.options}


def option(result, facet: str, value: str):
    return next(o for f in result.facets if f.name == facet for o in f.options if o.value == value)


# --- Each facet filter ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("", ["alpha", "beta", "delta", "epsilon", "gamma", "zeta"]),
        ("kind=cloud-service", ["epsilon"]),
        ("category=graph", ["delta", "gamma"]),
        ("framework=pytorch", ["beta", "gamma"]),
        ("data_type=text", ["epsilon", "zeta"]),
        ("scale=single", ["delta", "zeta"]),
        ("scenario=recommendation", ["alpha", "beta"]),
        ("maintenance=unmaintained", ["delta", "zeta"]),
        ("maintained=1", ["alpha", "beta", "epsilon", "gamma"]),
        ("maintained=0", ["alpha", "beta", "delta", "epsilon", "gamma", "zeta"]),
        ("org=Ant+Group", ["delta"]),
        ("license=MIT", ["delta"]),
        ("stack=recsys-stack", ["alpha", "beta"]),
    ],
)
def test_each_filter_selects_exactly_the_matching_entries(small_catalog, params, expected):
    result = query(params)
    assert result.is_valid, result.errors
    assert slugs(result) == expected  # sorted by name without q


def test_values_of_one_facet_are_ored_and_facets_are_anded(small_catalog):
    assert slugs(query("framework=tensorflow&framework=pytorch")) == [
        "alpha", "beta", "gamma", "zeta",
    ]  # gamma has both frameworks and is listed once
    assert slugs(query("framework=tensorflow&framework=pytorch&scale=single")) == ["zeta"]
    assert slugs(query("category=graph&category=nlp&maintenance=unmaintained")) == [
        "delta", "zeta",
    ]


# --- Validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ("framework=cobol", "framework"),
        ("framework=tensorflow&framework=cobol", "framework"),
        ("kind=closed-source", "kind"),
        ("category=<script>", "category"),
        ("org=Nobody", "org"),
        ("stack=no-such-stack", "stack"),
        ("sort=price", "sort"),
        ("maintained=perhaps", "maintained"),
        ("q=" + "x" * 201, "q"),
        ("q=" + "图" * 5000, "q"),
        ("q=a%00b", "q"),
    ],
)
def test_bad_values_are_form_errors_not_ignored(small_catalog, params, field):
    result = query(params)
    assert not result.is_valid
    assert field in result.errors and result.errors[field][0]
    assert field in result.form.errors


def test_invalid_parameters_are_dropped_and_the_valid_ones_still_apply(small_catalog):
    result = query("framework=cobol&scale=single")
    assert not result.is_valid
    assert slugs(result) == ["delta", "zeta"]
    assert not any(o.selected for o in next(f for f in result.facets if f.name == "framework")
                   .options)


def test_whitespace_in_q_is_normalised_before_the_length_check(small_catalog):
    padded = "  graph" + " " * 300 + "database \n"
    params = QueryDict(mutable=True)
    params["q"] = padded
    result = run_catalog_query(params=params)
    assert result.is_valid, result.errors
    assert result.query == "graph database"


def test_blank_and_repeated_values_mean_no_filter_or_one_filter(small_catalog):
    """A plain form's "any" option sends ``framework=``: that is no filter, not an error."""
    result = query("framework=&kind=&kind=+&sort=&stack=&maintained=&q=&scale=single&scale=single")
    assert result.is_valid, result.errors
    assert slugs(result) == ["delta", "zeta"]
    assert result.form.cleaned_data["scale"] == ["single"]


def test_unknown_parameters_are_ignored(small_catalog):
    result = query("utm_source=mail&page=2&framework=pytorch")
    assert result.is_valid
    assert slugs(result) == ["beta", "gamma"]


def test_vocabulary_terms_added_in_the_admin_become_valid_values(small_catalog):
    assert not query("framework=jax").is_valid
    Framework.objects.create(slug="jax", name_zh="JAX", name_en="JAX")
    result = query("framework=jax")
    assert result.is_valid
    assert slugs(result) == []


# --- Disjunctive facet counts -----------------------------------------------------------------


def test_counts_without_filters_count_every_entry_per_option(small_catalog):
    result = query("")
    assert counts(result, "framework") == {"tensorflow": 3, "pytorch": 2, "flink": 0}
    assert counts(result, "kind") == {
        "open-source": 5, "cloud-service": 1, "learning-resource": 0,
    }
    assert counts(result, "maintenance") == {"active": 3, "low-activity": 1, "unmaintained": 2}
    assert counts(result, "org") == {"Alibaba": 4, "Alibaba Cloud": 1, "Ant Group": 1}
    assert counts(result, "license") == {"Apache-2.0": 4, "MIT": 1, "Proprietary": 1}
    assert option(result, "framework", "flink").disabled
    assert option(result, "kind", "learning-resource").disabled
    assert not option(result, "framework", "pytorch").disabled


def test_counts_are_disjunctive_within_a_facet_and_conjunctive_across(small_catalog):
    result = query("framework=tensorflow")
    # Within the ticked facet an unselected option shows what ticking it too adds (OR):
    # pytorch adds beta to alpha, gamma, zeta (+1); flink adds nothing (+0) but is not
    # disabled, since ticking it still gives the 3. The selected option shows its own (3).
    assert counts(result, "framework") == {"tensorflow": 3, "pytorch": 1, "flink": 0}
    assert not option(result, "framework", "flink").disabled
    assert len(slugs(query("framework=tensorflow&framework=pytorch"))) == 4
    # Other facets count among the 3 TensorFlow entries (alpha, gamma, zeta).
    assert counts(result, "kind") == {"open-source": 3, "cloud-service": 0, "learning-resource": 0}
    assert counts(result, "category") == {"recsys": 1, "graph": 1, "cloud": 0, "nlp": 1}
    assert counts(result, "maintenance") == {"active": 1, "low-activity": 1, "unmaintained": 1}
    assert option(result, "framework", "tensorflow").selected
    assert option(result, "kind", "cloud-service").disabled


def test_counts_with_two_active_facets(small_catalog):
    result = query("framework=tensorflow&maintenance=active")
    assert slugs(result) == ["alpha"]
    # framework counts among active entries (alpha, beta, epsilon): tensorflow has alpha;
    # ticking pytorch too adds beta
    assert counts(result, "framework") == {"tensorflow": 1, "pytorch": 1, "flink": 0}
    # maintenance counts among TensorFlow entries (alpha, gamma, zeta), OR with "active":
    # low activity adds one, unmaintained adds one
    assert counts(result, "maintenance") == {"active": 1, "low-activity": 1, "unmaintained": 1}
    # everything else counts among the results
    assert counts(result, "scale") == {"cluster": 1, "single": 0}


def test_each_option_count_is_what_ticking_it_gives(small_catalog):
    """Ticking an option gives its count (another facet) or the results plus its "+N" (an
    option of a ticked facet)."""
    for params in ("framework=tensorflow", "framework=tensorflow&maintained=1",
                   "maintenance=active&kind=open-source", "scale=single&framework=pytorch"):
        result = query(params)
        for facet in result.facets:
            for opt in facet.options:
                if opt.selected:
                    continue
                ticked = f"{params}&{urlencode({facet.name: opt.value})}"
                expected = len(query(ticked).projects)
                if opt.meaning == CountMeaning.IF_ADDED:
                    assert len(result.projects) + opt.count == expected, (ticked, opt)
                else:
                    assert opt.count == expected, (ticked, opt)


def test_count_meanings(small_catalog):
    result = query("framework=tensorflow")
    assert option(result, "framework", "tensorflow").meaning == CountMeaning.WITH_VALUE
    assert option(result, "framework", "pytorch").meaning == CountMeaning.IF_ADDED
    assert option(result, "kind", "open-source").meaning == CountMeaning.ENTRIES
    result = query("framework=tensorflow&framework=pytorch")
    assert counts(result, "framework") == {"tensorflow": 3, "pytorch": 2, "flink": 0}


def test_a_selected_option_with_no_entries_stays_enabled(small_catalog):
    result = query("framework=flink")
    assert slugs(result) == []
    flink = option(result, "framework", "flink")
    assert flink.selected and not flink.disabled and flink.count == 0


def test_counts_respect_search_text_maintained_flag_and_stack(small_catalog):
    result = query("maintained=1")
    assert counts(result, "maintenance") == {"active": 3, "low-activity": 1, "unmaintained": 0}
    assert option(result, "maintenance", "unmaintained").disabled
    result = query("stack=recsys-stack")
    assert counts(result, "framework") == {"tensorflow": 1, "pytorch": 1, "flink": 0}
    result = query("q=graph+database")
    assert slugs(result)[0] == "gamma"
    assert counts(result, "category")["graph"] == len(
        [s for s in slugs(result) if s in {"gamma", "delta"}]
    )
    assert counts(result, "kind")["cloud-service"] == ("epsilon" in slugs(result))


def test_facet_labels_follow_the_active_language(small_catalog):
    from django.utils import translation

    with translation.override("en"):
        result = query("")
        assert option(result, "framework", "flink").label == "Flink"
        assert option(result, "category", "recsys").label == "Recsys"
    with translation.override("zh-hans"):
        assert option(query(""), "category", "recsys").label == "recsys-zh"
    assert [f.name for f in result.facets] == [
        "kind", "category", "framework", "data_type", "scale", "scenario", "maintenance",
        "org", "license",
    ]


# --- Sorting ------------------------------------------------------------------------------------


def test_sort_orders(small_catalog):
    assert query("").sort == "name"
    assert slugs(query("sort=maintenance")) == [
        "alpha", "beta", "epsilon", "gamma", "delta", "zeta",
    ]
    assert query("sort=relevance").sort == "name"  # relevance needs a query
    result = query("q=recommendation&sort=name")
    assert result.sort == "name"
    assert slugs(result) == sorted(slugs(result))


def test_relevance_is_the_default_with_q_and_ties_break_by_name(small_catalog):
    result = query("q=推荐")
    assert result.sort == "relevance"
    assert set(slugs(result)) == {"alpha", "beta"}
    scores = [p.relevance for p in result.projects]
    assert all(score > 0 for score in scores)
    assert scores == sorted(scores, reverse=True)
    for first, second in zip(result.projects, result.projects[1:], strict=False):
        if first.relevance == second.relevance:
            assert first.name.lower() <= second.name.lower()


def test_projects_have_no_relevance_without_q(small_catalog):
    assert not any(hasattr(p, "relevance") for p in query("").projects)


# --- Query counts -----------------------------------------------------------------------------


def test_query_count_does_not_grow_with_the_catalog(small_catalog, django_assert_num_queries):
    params = QueryDict("framework=tensorflow&framework=pytorch&stack=recsys-stack&q=graph")
    search.get_search_index()  # built; the measured runs only check its version
    get_vocabularies()  # likewise
    assert run_catalog_query(params=QueryDict("kind=open-source")).facets  # cache made

    # 3 versions read (vocabularies, facet table, search index): the facets are counted in
    # the facet table, none in SQL.
    with django_assert_num_queries(3) as small:
        assert run_catalog_query(params=params).facets
    for i in range(len(SMALL)):
        make_project(
            f"extra-{i}", frameworks=["tensorflow", "flink"], data_types=["graph"],
            scales=["massive"], scenarios=[f"scenario-{i}"], category=f"cat-{i}",
            org=f"Org {i}", summary="graph analytics engine",
        )
    search.get_search_index()
    get_vocabularies()
    assert run_catalog_query(params=QueryDict("kind=open-source")).facets
    with django_assert_num_queries(3) as large:
        result = run_catalog_query(params=params)
        assert result.facets
    assert len(result.facets[1].options) == 4 + len(SMALL)  # the catalog did grow
    assert len(small.captured_queries) == len(large.captured_queries)


def counts_of(facets) -> dict[str, dict[str, int]]:
    return {facet.name: {o.value: o.count for o in facet.options} for facet in facets}


def test_facet_counts_come_from_the_facet_table_of_the_catalog_version(
    small_catalog, django_assert_num_queries
):
    params = QueryDict("framework=tensorflow&scale=cluster&sort=name&page=2")
    get_vocabularies()
    first = counts_of(run_catalog_query(params=params).facets)
    # The same filters (another order, page or sort): only the versions are read.
    again = QueryDict("scale=cluster&framework=tensorflow&sort=maintenance")
    with django_assert_num_queries(2):  # vocabularies, facet table
        assert counts_of(run_catalog_query(params=again).facets) == first
    # A change to the catalog moves the version: counted again, with the new entry.
    make_project("extra-tf", frameworks=["tensorflow"], scales=["cluster"])
    after = counts_of(run_catalog_query(params=params).facets)
    assert after["kind"]["open-source"] == first["kind"]["open-source"] + 1
    # Other filters are other counts.
    other = counts_of(run_catalog_query(params=QueryDict("framework=pytorch")).facets)
    assert other != after


# --- Pagination -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "number", "has_message"),
    [
        (None, 1, False),
        ("", 1, False),
        ("2", 2, False),
        ("3", 3, False),
        ("abc", 1, True),
        ("-1", 1, True),
        ("0", 1, True),
        ("99999", 3, True),
        ("9" * 5000, 3, True),  # longer than int() accepts: still not an error
        ("1.5", 1, True),
        (2, 2, False),
    ],
)
def test_paginate_turns_bad_pages_into_a_valid_page_and_a_message(page, number, has_message):
    result = paginate(projects=list(range(30)), page=page, per_page=12)
    assert result.page.number == number
    assert (result.message is not None) == has_message
    if has_message:
        assert len(result.message) < 200  # never echoes a huge input


def test_paginate_an_empty_list():
    result = paginate(projects=[], page="5")
    assert result.page.number == 1
    assert list(result.page.object_list) == []


# --- The real catalog (fixture in tests/conftest.py) ------------------------------------------


def test_real_catalog_facets_add_up(real_catalog):
    result = query("")
    total = Project.objects.count()
    assert len(result.projects) == total
    assert sum(counts(result, "kind").values()) == total
    assert sum(counts(result, "maintenance").values()) == total
    assert counts(result, "framework")["tensorflow"] == Project.objects.filter(
        frameworks__slug="tensorflow"
    ).count()


def test_real_catalog_framework_or_filter(real_catalog):
    both = set(slugs(query("framework=tensorflow&framework=pytorch")))
    tf = set(slugs(query("framework=tensorflow")))
    torch = set(slugs(query("framework=pytorch")))
    assert both == tf | torch
    assert {"easyrec", "torcheasyrec", "bladedisc"} <= both
    assert "bladedisc" in tf & torch


# --- The django-filter FilterSet ---------------------------------------------------------------


def test_the_list_is_filtered_by_a_django_filter_filterset(small_catalog):
    import django_filters

    from catalog.filters import ProjectFilterSet

    params = QueryDict("framework=pytorch&framework=tensorflow&kind=open-source")
    filterset = ProjectFilterSet(params, queryset=Project.objects.all())
    assert isinstance(filterset, django_filters.FilterSet)
    assert filterset.is_valid()
    expected = set(
        Project.objects.filter(
            frameworks__slug__in=["pytorch", "tensorflow"], kind="open-source"
        ).values_list("slug", flat=True)
    )
    assert expected
    assert set(filterset.qs.values_list("slug", flat=True)) == expected
    assert filterset.qs.count() == len(expected)  # no duplicates from the M2M join
    result = run_catalog_query(params=params)
    assert {p.slug for p in result.projects} == expected


def test_an_invalid_value_is_an_error_and_the_valid_filters_still_apply(small_catalog):
    from catalog.filters import ProjectFilterSet

    filterset = ProjectFilterSet(
        QueryDict("framework=cobol&kind=open-source"), queryset=Project.objects.all()
    )
    assert not filterset.is_valid()
    assert "framework" in filterset.errors
    assert set(filterset.qs.values_list("slug", flat=True)) == set(
        Project.objects.filter(kind="open-source").values_list("slug", flat=True)
    )


# --- The facet table answers what SQL answers ----------------------------------------------


def _sql_order(queryset, *, sort: str, relevance: dict[str, float]) -> list[str]:
    """The list's order computed in SQL (the reference the facet table must equal)."""
    from django.db.models import Case, IntegerField, Value, When
    from django.db.models.functions import Lower

    from catalog.facet_table import MAINTENANCE_RANK

    by_name = list(queryset.order_by(Lower("name"), "slug").values_list("slug", flat=True))
    if sort == "relevance" and relevance:
        rank = {slug: i for i, slug in enumerate(by_name)}
        return sorted(by_name, key=lambda slug: (-relevance[slug], rank[slug]))
    if sort == "maintenance":
        order = Case(
            *(When(maintenance=key, then=Value(n)) for key, n in MAINTENANCE_RANK.items()),
            output_field=IntegerField(),
        )
        return list(
            queryset.order_by(order, Lower("name"), "slug").values_list("slug", flat=True)
        )
    return by_name


def _sql_count(queryset, facet: str, value: str, *, without: frozenset[str] = frozenset()
               ) -> int:
    from catalog.facet_table import M2M_FACETS, SCALAR_FACETS

    lookup = SCALAR_FACETS.get(facet) or f"{M2M_FACETS[facet]}__slug"
    having = Project.objects.filter(pk__in=queryset.values("pk"), **{lookup: value})
    if without:
        having = having.exclude(pk__in=Project.objects.filter(**{f"{lookup}__in": without}))
    return having.values("pk").distinct().count()


@pytest.mark.parametrize(
    "params",
    [
        "",
        "sort=maintenance",
        "framework=pytorch&framework=tensorflow&scenario=recommendation&maintained=1",
        "kind=open-source&data_type=graph&sort=maintenance",
        "q=图数据库",
        "q=recommendation+model+training&framework=pytorch&sort=name",
        "q=模型&maintenance=active&maintenance=low-activity",
        "stack=tf-recsys&framework=tensorflow",
        "scale=massive&org=Alibaba&license=Apache-2.0",
        "category=recommendation&category=graph&framework=cobol",  # invalid framework: dropped
    ],
)
def test_the_facet_table_answers_what_sql_answers(real_catalog, params):
    """Rows, their order and every option's count, against the same filters in SQL (the
    django-filter queryset), on the real catalog with synthetic entries added."""
    from catalog import synthetic
    from catalog.filters import FACETS, ProjectFilterSet

    synthetic.generate(count=150, seed=7)
    data = QueryDict(params)
    result = run_catalog_query(params=data)
    in_sql = ProjectFilterSet(data, queryset=Project.objects.all()).qs
    expected = _sql_order(in_sql, sort=result.sort, relevance=result.relevance)
    assert [p.slug for p in result.projects] == expected
    assert result.count == len(expected)
    for facet in result.facets:
        selected = frozenset(facet.selected_values)
        base = in_sql
        if selected:
            others = data.copy()
            others.pop(facet.name)
            base = ProjectFilterSet(others, queryset=Project.objects.all()).qs
        for choice in facet.options:
            if choice.meaning == CountMeaning.IF_ADDED:
                want = _sql_count(base, facet.name, choice.value, without=selected)
            else:
                want = _sql_count(base, facet.name, choice.value)
            assert choice.count == want, (facet.name, choice.value, choice.meaning)
    assert {spec.name for spec in FACETS} == {facet.name for facet in result.facets}
