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


# --- Pages that draw every entry: aggregated beyond a few hundred -----------------------------

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _category_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for slug in Project.objects.values_list("category__slug", flat=True):
        counts[slug] = counts.get(slug, 0) + 1
    return counts


def _degrees() -> dict[str, int]:
    degrees = dict.fromkeys(Project.objects.values_list("slug", flat=True), 0)
    for source, target in Relation.objects.values_list("source__slug", "target__slug"):
        degrees[source] += 1
        degrees[target] += 1
    return degrees


def test_a_large_catalog_graph_is_its_categories(client, real_catalog):
    from catalog.graph import GRAPH_LIMIT

    synthetic.generate(count=GRAPH_LIMIT, seed=6)
    data = client.get("/api/graph/", **EN).json()
    assert data["mode"] == "categories" and data["total"] == Project.objects.count()
    counts = _category_counts()
    assert {node["id"]: node["count"] for node in data["nodes"]} == {
        f"category:{slug}": n for slug, n in counts.items()
    }
    assert all(node["url"] == f"/catalog/graph/?category={node['category']}"
               for node in data["nodes"])
    # Each edge counts the relations of its type between two different categories.
    expected: dict[tuple[str, str, str], int] = {}
    for source, target, kind in Relation.objects.values_list(
        "source__category__slug", "target__category__slug", "type"
    ):
        if source != target:
            key = (f"category:{source}", kind, f"category:{target}")
            expected[key] = expected.get(key, 0) + 1
    for project in Project.objects.filter(successor__isnull=False).select_related(
        "category", "successor__category"
    ):
        source, target = project.successor.category.slug, project.category.slug
        stated = Relation.objects.filter(source=project.successor, target=project,
                                         type="successor-of").exists()
        if source != target and not stated:
            key = (f"category:{source}", "successor-of", f"category:{target}")
            expected[key] = expected.get(key, 0) + 1
    assert {(e["source"], e["type"], e["target"]): e["count"] for e in data["edges"]} == expected
    html = client.get("/catalog/graph/", **EN).content.decode()
    assert "too many to draw one by one" in html
    assert 'data-graph-url="/api/graph/"' in html
    assert 'href="/catalog/graph/?category=graph"' in html
    assert html.count('href="/catalog/synthetic-') == 0  # no entry is listed one by one


def test_chosen_categories_draw_their_best_connected_entries(client, real_catalog):
    from catalog.graph import GRAPH_LIMIT

    synthetic.generate(count=GRAPH_LIMIT, seed=6)
    every = sorted(_category_counts())
    data = client.get("/api/graph/?" + urlencode([("category", c) for c in every]), **EN).json()
    assert data["mode"] == "entries" and data["truncated"]
    assert data["total"] == Project.objects.count() and data["shown"] == GRAPH_LIMIT
    shown = {node["id"] for node in data["nodes"]}
    assert len(shown) == GRAPH_LIMIT
    degrees = _degrees()
    assert min(degrees[slug] for slug in shown) >= max(
        degrees[slug] for slug in degrees if slug not in shown
    )
    assert all(e["source"] in shown and e["target"] in shown for e in data["edges"])
    one = client.get("/api/graph/?category=graph", **EN).json()
    assert one["mode"] == "entries" and not one["truncated"]
    assert {node["category"] for node in one["nodes"]} == {"graph"}
    assert one["shown"] == one["total"] == _category_counts()["graph"]
    page = client.get("/catalog/graph/?category=graph", **EN).content.decode()
    assert 'data-graph-url="/api/graph/?category=graph"' in page
    assert 'aria-current="page"' in page


def test_an_unknown_graph_category_is_a_400_or_a_notice(client, real_catalog):
    response = client.get("/api/graph/?category=%3Cscript%3E", **EN)
    assert response.status_code == 400
    assert response.json() == {"errors": {"category": [
        "Select a valid choice. <script> is not one of the available choices."]}}
    page = client.get("/catalog/graph/?category=%3Cscript%3E&category=graph", **EN)
    html = page.content.decode()
    assert page.status_code == 200 and "is not one of the available choices" in html
    assert "&lt;script&gt;" in html and "<script>" not in html.split("<main", 1)[1]


def test_the_graph_landscape_and_stats_query_counts_stay_the_same_at_scale(
    client, real_catalog, django_assert_max_num_queries
):
    urls = ["/api/graph/", "/catalog/graph/", "/api/graph/?category=graph",
            "/catalog/landscape/", "/catalog/landscape/?framework=pytorch", "/catalog/stats/"]

    def counts() -> dict[str, int]:
        found = {}
        for url in urls:
            client.get(url)
            with django_assert_max_num_queries(20) as captured:
                assert client.get(url).status_code == 200
            found[url] = len(captured.captured_queries)
        return found

    synthetic.generate(count=300, seed=7)  # past both limits
    at_n = counts()
    synthetic.generate(count=Project.objects.count(), seed=8)
    assert counts() == at_n


def test_a_large_landscape_shows_a_sample_of_each_category(client, real_catalog):
    from catalog.landscape import LANDSCAPE_LIMIT, SAMPLE_SIZE

    synthetic.generate(count=LANDSCAPE_LIMIT, seed=9)
    response = client.get("/catalog/landscape/", **EN)
    html = response.content.decode()
    assert "each category shows its first 12 by name" in html
    counts = _category_counts()
    groups = [group for group, _more in response.context["groups"]]
    assert {group.category.slug: group.count for group in groups} == counts
    for group, more in response.context["groups"]:
        names = [tile.project for tile in group.tiles]
        first = list(Project.objects.filter(category=group.category).order_by("name", "slug"))
        expected = sorted(first, key=lambda p: (p.name.lower(), p.slug))[:SAMPLE_SIZE]
        assert names == expected
        if counts[group.category.slug] > SAMPLE_SIZE:
            assert more == f"/catalog/landscape/?category={group.category.slug}"
            assert f'href="{more}"' in html
        else:
            assert more is None
    assert html.count('class="tile tile-') == sum(min(n, SAMPLE_SIZE) for n in counts.values())
    # One category (fewer than the limit) is drawn whole; the filters are kept in the links.
    whole = client.get("/catalog/landscape/?category=graph", **EN)
    assert whole.content.decode().count('class="tile tile-') == counts["graph"]
    filtered = client.get("/catalog/landscape/?maintained=1&category=nlp", **EN)
    assert not filtered.context["sampled"]
    sampled = client.get("/catalog/landscape/?maintained=1", **EN)
    links = [more for _group, more in sampled.context["groups"] if more]
    assert links and all(link.startswith("/catalog/landscape/?maintained=1&category=")
                         for link in links)


def test_a_category_too_large_for_the_landscape_links_to_the_paged_list(
    client, real_catalog, monkeypatch
):
    from catalog import landscape

    monkeypatch.setattr(landscape, "LANDSCAPE_LIMIT", 40)  # not thousands of entries
    synthetic.generate(count=300, seed=10)
    counts = _category_counts()
    big = max(counts, key=counts.get)
    assert counts[big] > 40
    response = client.get("/catalog/landscape/", **EN)
    more = dict((group.category.slug, link) for group, link in response.context["groups"])
    assert more[big] == f"/catalog/?category={big}"
    assert client.get(f"/catalog/landscape/?category={big}").context["sampled"]


def test_stats_count_in_sql_what_the_entries_say(client, real_catalog):
    from collections import Counter
    from datetime import date

    from catalog.charts import stats_sections

    synthetic.generate(count=150, seed=11)
    Project.objects.filter(slug__startswith="synthetic-s11-00001").update(
        last_commit=date(2026, 11, 1))
    projects = list(Project.objects.select_related("category"))
    total, sections = stats_sections(today=date(2026, 12, 1))
    assert total == len(projects)
    by_slug = {section.slug: {item.label: item.value for item in section.items}
               for section in sections}
    assert by_slug["org"] == dict(Counter(p.org for p in projects))
    assert by_slug["license"] == dict(Counter(p.license for p in projects))
    assert by_slug["category"] == dict(Counter(p.category.name for p in projects))
    assert sum(by_slug["last-commit"].values()) == len(projects)


def test_graph_and_stats_are_counted_once_per_catalog_version(
    client, real_catalog, django_assert_num_queries
):
    synthetic.generate(count=300, seed=12)
    def main(url: str) -> str:  # the page's content (the head holds a per-request nonce)
        return client.get(url, **EN).content.decode().split("<main", 1)[-1]

    for url in ("/api/graph/", "/api/graph/?category=graph", "/catalog/stats/"):
        first = main(url)
        with django_assert_num_queries(1):  # the catalog version
            assert main(url) == first
    # In the other language, from the same counts.
    with django_assert_num_queries(1):
        chinese = client.get("/api/graph/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert chinese["nodes"][0]["label"] == chinese["nodes"][0]["name_zh"]
    # An edit moves the version: counted again.
    Project.objects.filter(slug="tugraph-db").update(org="Somebody Else")
    from catalog.versioning import bump_catalog_version

    bump_catalog_version()
    stats = client.get("/catalog/stats/", **EN).content.decode()
    assert "Somebody Else" in stats


def test_a_search_alone_ranks_like_the_same_search_with_a_filter_that_keeps_all(
    client, real_catalog, django_assert_max_num_queries
):
    from catalog.models import Kind
    from catalog.queries import run_catalog_query

    synthetic.generate(count=200, seed=13)
    alone = run_catalog_query(params={"q": "图数据库"})
    every_kind = run_catalog_query(params={"q": "图数据库", "kind": list(Kind.values)})
    assert alone.count == every_kind.count > 24
    assert [p.slug for p in alone.rows[0:alone.count]] == [
        p.slug for p in every_kind.rows[0:every_kind.count]
    ]
    # Warm, a search page reads no IN list of every match: a constant, small number of queries.
    url = "/catalog/?" + urlencode({"q": "图数据库", "page": 2})
    client.get(url)
    with django_assert_max_num_queries(10) as captured:
        client.get(url)
    assert all(len(q["sql"]) < 5000 for q in captured.captured_queries)
