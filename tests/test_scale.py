"""The catalog at scale: the synthetic generator, query counts at N and 2N entries, pagination."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.management import CommandError, call_command

from catalog import synthetic
from catalog.models import Link, Project, Relation

pytestmark = pytest.mark.django_db


def _facets(project: Project) -> dict[str, set[str]]:
    return {
        name: {term.slug for term in getattr(project, name).all()}
        for name in synthetic.FACET_FIELDS
    }


# --- Generator -------------------------------------------------------------------------------


def test_generated_entries_are_drawn_from_the_real_catalog(real_catalog):
    real = list(Project.objects.with_facets())
    made = synthetic.generate(count=40, seed=3)
    assert made == 40
    generated = list(Project.objects.with_facets().filter(slug__startswith="synthetic-"))
    assert len(generated) == 40
    real_orgs = {p.org for p in real}
    real_licenses = {p.license for p in real}
    real_summaries = {p.summary_zh for p in real} | {p.summary_en for p in real}
    real_terms = {name: set().union(*(_facets(p)[name] for p in real)) for name in
                  synthetic.FACET_FIELDS}
    for project in generated:
        assert project.org in real_orgs and project.license in real_licenses
        assert project.summary_zh in real_summaries and project.summary_en in real_summaries
        assert project.name and project.name_zh
        for name, terms in _facets(project).items():
            assert terms <= real_terms[name]
    assert len({p.org for p in generated}) > 3  # varied, not one organisation
    assert len({p.category_id for p in generated}) > 3
    assert sum(bool(_facets(p)["scenarios"]) for p in generated) > 20
    real_releases = {(p.last_release_tag, p.last_release_date) for p in real}
    releases = {(p.last_release_tag, p.last_release_date) for p in generated}
    assert releases <= real_releases  # a real entry's release, never an invented date
    assert any(date for _tag, date in releases)
    ids = [p.pk for p in generated]
    assert Link.objects.filter(project_id__in=ids).count() >= 40
    assert Relation.objects.filter(source_id__in=ids).exists()


def test_the_same_seed_gives_the_same_entries(real_catalog):
    def snapshot():
        rows = Project.objects.with_facets().filter(slug__startswith="synthetic-").order_by("slug")
        return [(p.slug, p.name, p.org, p.summary_en, _facets(p)) for p in rows]

    synthetic.generate(count=15, seed=7)
    first = snapshot()
    synthetic.remove()
    synthetic.generate(count=15, seed=7)
    assert snapshot() == first
    synthetic.remove()
    synthetic.generate(count=15, seed=8)
    assert [row[0] for row in snapshot()] != [row[0] for row in first]


def test_remove_deletes_only_synthetic_entries(real_catalog):
    real = set(Project.objects.values_list("slug", flat=True))
    relations = Relation.objects.count()
    links = Link.objects.count()
    synthetic.generate(count=30, seed=1)
    synthetic.generate(count=10, seed=1)  # numbering continues: no collision
    assert Project.objects.count() == len(real) + 40
    assert synthetic.remove() == 40
    assert set(Project.objects.values_list("slug", flat=True)) == real
    assert Relation.objects.count() == relations
    assert Link.objects.count() == links


def test_the_command_adds_and_removes(real_catalog, capsys):
    call_command("generate_synthetic_catalog", "12", "--seed", "2")
    assert "Added 12 synthetic entries" in capsys.readouterr().out
    assert Project.objects.filter(slug__startswith="synthetic-").count() == 12
    call_command("generate_synthetic_catalog", "--remove")
    assert "Removed 12" in capsys.readouterr().out
    assert not Project.objects.filter(slug__startswith="synthetic-").exists()


@pytest.mark.parametrize("args", [[], ["0"], ["-5"], ["5", "--remove"], ["200000"]])
def test_the_command_refuses_bad_input(real_catalog, args):
    with pytest.raises(CommandError):
        call_command("generate_synthetic_catalog", *args)


# --- Query counts at N and 2N entries --------------------------------------------------------

PAGES = [
    "/catalog/",
    "/catalog/?page=3",
    "/catalog/?" + urlencode([("q", "图数据库"), ("framework", "pytorch"),
                              ("framework", "tensorflow"), ("maintained", "1")]),
    "/catalog/?" + urlencode({"q": "recommendation", "sort": "name", "page": "2"}),
    "/catalog/?" + urlencode({"sort": "maintenance", "scenario": "recommendation"}),
    "/catalog/tugraph-db/",
    "/api/projects/tugraph-db/",
    "/api/advise/?" + urlencode({"q": "电商推荐的CTR模型训练", "framework": "pytorch"}),
]


def _query_counts(client, django_assert_max_num_queries) -> dict[str, int]:
    counts = {}
    for url in PAGES:
        assert client.get(url).status_code == 200  # warm: the indexes are built
        with django_assert_max_num_queries(50) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured.captured_queries)
    return counts


def test_query_counts_stay_the_same_from_n_to_2n_entries(
    client, real_catalog, django_assert_max_num_queries
):
    synthetic.generate(count=60, seed=1)
    n = Project.objects.count()
    at_n = _query_counts(client, django_assert_max_num_queries)
    synthetic.generate(count=n, seed=2)
    assert Project.objects.count() == 2 * n
    at_2n = _query_counts(client, django_assert_max_num_queries)
    assert at_2n == at_n


# --- Pagination ------------------------------------------------------------------------------


def test_a_long_list_shows_elided_page_links_and_only_its_rows(client, real_catalog):
    synthetic.generate(count=400, seed=4)
    total = Project.objects.count()
    pages = -(-total // 12)
    response = client.get("/catalog/?page=10", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    page = response.context["page"].page
    assert page.number == 10 and page.paginator.num_pages == pages
    assert len(page.object_list) == 12
    assert html.count('class="card') <= 12 or html.count("<article") <= 12
    numbers = list(response.context["page"].numbers)
    assert numbers[0] == 1 and numbers[-1] == pages
    assert page.paginator.ELLIPSIS in numbers
    assert [n for n in numbers if n != page.paginator.ELLIPSIS] == [1, 8, 9, 10, 11, 12, pages]
    assert html.count("…") >= 2
    assert f'href="?page={pages}"' in html or f"page={pages}" in html
    assert "page=20" not in html


def test_search_pages_are_ranked_and_loaded_a_page_at_a_time(client, real_catalog):
    synthetic.generate(count=200, seed=5)
    first = client.get("/catalog/?" + urlencode({"q": "图数据库"})).context["page"].page
    second = client.get("/catalog/?" + urlencode({"q": "图数据库", "page": 2})).context["page"].page
    scores = [p.relevance for p in first.object_list] + [p.relevance for p in second.object_list]
    assert scores == sorted(scores, reverse=True)
    assert not {p.slug for p in first.object_list} & {p.slug for p in second.object_list}
    assert first.paginator.count > 24
