"""The catalog's HTML pages: home, list (facets, search, htmx partial), detail, compare, i18n.

Tests build their own small set of entries (slugs starting with ``zz-``, category
``zz-testing``) so they hold whether or not the full catalog fixture is loaded too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import (
    Category,
    DataType,
    Framework,
    Kind,
    Link,
    LinkType,
    Maintenance,
    Project,
    Relation,
    RelationType,
    Scale,
    Scenario,
    Stack,
    StackMember,
)
from catalog.search import clear_search_index

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}
HTMX = {"HTTP_HX_REQUEST": "true"}
TEST_CATEGORY = "zz-testing"
LIST = "/catalog/"


# --- A small catalog of our own -----------------------------------------------------------


def _term(model, slug: str, zh: str, en: str):
    term, _ = model.objects.get_or_create(slug=slug, defaults={"name_zh": zh, "name_en": en})
    return term


def make_project(
    slug: str,
    *,
    name: str,
    name_zh: str,
    summary_en: str = "",
    summary_zh: str = "",
    frameworks: tuple[str, ...] = (),
    data_types: tuple[str, ...] = (),
    scenarios: tuple[str, ...] = (),
    scales: tuple[str, ...] = (),
    maintenance: str = Maintenance.ACTIVE,
    kind: str = Kind.OPEN_SOURCE,
    **fields,
) -> Project:
    category = _term(Category, TEST_CATEGORY, "测试分类", "Testing category")
    project = Project.objects.create(
        slug=slug,
        name=name,
        name_zh=name_zh,
        kind=kind,
        category=category,
        org=fields.pop("org", "Alibaba"),
        license=fields.pop("license", "Apache-2.0"),
        maintenance=maintenance,
        summary_en=summary_en or f"{name} summary in English.",
        summary_zh=summary_zh or f"{name_zh}的中文简介。",
        **fields,
    )
    project.frameworks.set([Framework.objects.get(slug=s) for s in frameworks])
    project.data_types.set([DataType.objects.get(slug=s) for s in data_types])
    project.scenarios.set([Scenario.objects.get(slug=s) for s in scenarios])
    project.scales.set([Scale.objects.get(slug=s) for s in scales])
    return project


@pytest.fixture
def vocab() -> None:
    _term(Framework, "tensorflow", "TensorFlow", "TensorFlow")
    _term(Framework, "pytorch", "PyTorch", "PyTorch")
    _term(Framework, "any", "任意", "Any")
    _term(DataType, "graph", "图数据", "Graph")
    _term(DataType, "text", "文本", "Text")
    _term(DataType, "tabular", "表格数据", "Tabular")
    _term(Scale, "single", "单机", "Single machine")
    _term(Scale, "cluster", "集群", "Cluster")
    _term(Scenario, "knowledge-graph", "知识图谱", "Knowledge graph")
    _term(Scenario, "recommendation", "推荐系统", "Recommendation")
    _term(Scenario, "nlp", "自然语言处理", "NLP")


@pytest.fixture
def entries(vocab) -> Iterator[dict[str, Project]]:
    clear_search_index()
    graphdb = make_project(
        "zz-graphdb",
        name="ZZ Graph Store",
        name_zh="ZZ图存储",
        summary_en="A distributed graph database for knowledge graphs.",
        summary_zh="面向知识图谱的分布式图数据库。",
        data_types=("graph",),
        scenarios=("knowledge-graph",),
        scales=("cluster",),
        features_en=["Cypher queries", "ACID transactions", "Bulk import"],
        features_zh=["Cypher 查询", "ACID 事务", "批量导入"],
        principles_en="Stores adjacency lists in a B+ tree.",
        principles_zh="以 B+ 树存储邻接表。",
        use_cases_en=["Fraud detection"],
        use_cases_zh=["欺诈检测"],
        repo_url="https://github.com/example/zz-graph",
        last_release_tag="v2.0.1",
        last_release_date=date(2025, 3, 4),
    )
    recsys = make_project(
        "zz-recsys",
        name="ZZ Recommender",
        name_zh="ZZ推荐框架",
        summary_en="A recommendation model library for TensorFlow.",
        summary_zh="基于 TensorFlow 的推荐算法库。",
        frameworks=("tensorflow",),
        data_types=("tabular",),
        scenarios=("recommendation",),
        scales=("cluster",),
        features_en=["Wide & Deep", "DeepFM", "Multi-task models"],
        features_zh=["Wide & Deep", "DeepFM", "多任务模型"],
    )
    torchrec = make_project(
        "zz-torchrec",
        name="ZZ Torch Recommender",
        name_zh="ZZ Torch推荐框架",
        summary_en="The PyTorch successor of ZZ Recommender.",
        summary_zh="ZZ推荐框架的 PyTorch 后继者。",
        frameworks=("pytorch",),
        data_types=("tabular",),
        scenarios=("recommendation",),
        scales=("cluster",),
    )
    old = make_project(
        "zz-oldnlp",
        name="ZZ Old NLP",
        name_zh="ZZ旧NLP",
        summary_en="A text toolkit that is no longer maintained.",
        summary_zh="已停止维护的文本工具包。",
        frameworks=("tensorflow",),
        data_types=("text",),
        scenarios=("nlp",),
        scales=("single",),
        maintenance=Maintenance.UNMAINTAINED,
        maintenance_note="No commits since 2022.",
        last_release_date=date(2022, 8, 9),
        last_release_tag="1.0",
        successor=None,
    )
    old.successor = torchrec
    old.save()
    Relation.objects.create(source=torchrec, target=recsys, type=RelationType.SUCCESSOR_OF)
    Relation.objects.create(source=recsys, target=graphdb, type=RelationType.INTEGRATES_WITH)
    Link.objects.create(project=graphdb, title="Docs", url="https://example.com/docs",
                        type=LinkType.DOCS)
    Link.objects.create(project=graphdb, title="Source", url="https://example.com/src",
                        type=LinkType.REPO)
    stack = Stack.objects.create(
        slug="zz-stack",
        name_zh="ZZ推荐栈",
        name_en="ZZ recommendation stack",
        description_zh="推荐模型库加图存储。",
        description_en="A recommendation library plus a graph store.",
        featured=True,
    )
    StackMember.objects.create(
        stack=stack, project=recsys, role_zh="模型库", role_en="model library"
    )
    StackMember.objects.create(
        stack=stack, project=graphdb, role_zh="图存储", role_en="graph store", optional=True,
        position=1,
    )
    yield {"graphdb": graphdb, "recsys": recsys, "torchrec": torchrec, "old": old, "stack": stack}
    clear_search_index()


def add_filler_entries(count: int, *, start: int = 0) -> None:
    for index in range(start, start + count):
        make_project(
            f"zz-filler-{index:03d}",
            name=f"ZZ Filler {index:03d}",
            name_zh=f"ZZ填充{index:03d}",
            frameworks=("pytorch", "tensorflow"),
            data_types=("text", "graph"),
            scenarios=("nlp",),
            scales=("single",),
            # Says "graph" in its text: search keeps only hits close to the best one, and a
            # match on the data-type label alone is far below the graph database.
            summary_en=f"Filler {index:03d}: graph and text utilities.",
        )


def text_of(response) -> str:
    return response.content.decode()


def warm_query_count(client, url: str, params: dict | None = None):
    """Queries of a second request to ``url`` (the first one rebuilds caches and the search
    index after a catalog change) and that request's response."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return len(queries), response


def result_slugs(response) -> list[str]:
    """Entries shown as results (their compare checkboxes), in order."""
    return re.findall(r'name="p" value="([^"]+)" form="compare-form"', text_of(response))


# --- Home -----------------------------------------------------------------------------------


def test_home_shows_search_advisor_categories_and_featured_stacks(client, entries):
    response = client.get("/", **EN)
    assert response.status_code == 200
    html = text_of(response)
    assert 'action="/catalog/"' in html and 'name="q"' in html
    assert 'href="/advisor/"' in html
    # Our category, its entry count and link into the filtered list.
    assert f'href="/catalog/?category={TEST_CATEGORY}"' in html
    assert "Testing category" in html and "4 entries" in html
    # The featured stack with members linking to their detail pages; optional marked.
    assert "ZZ recommendation stack" in html
    assert 'href="/catalog/zz-recsys/"' in html and 'href="/catalog/zz-graphdb/"' in html
    # ... drawn as a diagram whose optional member is dashed and badged, with a text version.
    assert '<svg class="diagram-narrow"' in html and 'stroke-dasharray="6 4"' in html
    assert ">Optional</text>" in html and "(Optional)" in html
    assert 'href="/stacks/"' in html


def test_home_query_count_does_not_grow_with_the_catalog(client, entries):
    before, _ = warm_query_count(client, "/")
    add_filler_entries(10)
    stack = entries["stack"]
    for index, project in enumerate(Project.objects.filter(slug__startswith="zz-filler")[:5]):
        StackMember.objects.create(stack=stack, project=project, role_zh="填充",
                                   role_en="filler", position=10 + index)
    after, response = warm_query_count(client, "/")
    assert "ZZ Filler" in text_of(response) or "ZZ填充" in text_of(response)
    assert after == before


# --- List -----------------------------------------------------------------------------------


def test_list_shows_cards_with_names_summary_badges_and_compare_checkboxes(client, entries):
    response = client.get(LIST, {"category": TEST_CATEGORY}, **EN)
    assert response.status_code == 200
    html = text_of(response)
    assert sorted(result_slugs(response)) == ["zz-graphdb", "zz-oldnlp", "zz-recsys",
                                             "zz-torchrec"]
    # English active: English name and summary, Chinese name as the "other" name.
    assert "ZZ Recommender" in html and "ZZ推荐框架" in html
    assert "A recommendation model library for TensorFlow." in html
    assert "badge-unmaintained" in html and "Unmaintained" in html
    assert 'id="compare-form"' in html and "Compare selected" in html
    # Facet counts: TensorFlow has two of our entries.
    assert re.search(r'value="tensorflow"\s*checked?', html) is None
    assert 'aria-live="polite"' in html


def test_list_in_chinese_shows_chinese_summaries(client, entries):
    response = client.get(LIST, {"category": TEST_CATEGORY}, **ZH)
    html = text_of(response)
    assert '<html lang="zh-hans">' in html
    assert "基于 TensorFlow 的推荐算法库。" in html
    assert "A recommendation model library for TensorFlow." not in html
    assert "对比所选" in html


def test_facet_filter_narrows_the_results_and_keeps_counts(client, entries):
    response = client.get(LIST, {"category": TEST_CATEGORY, "framework": "tensorflow"}, **EN)
    assert sorted(result_slugs(response)) == ["zz-oldnlp", "zz-recsys"]
    html = text_of(response)
    # The ticked option stays ticked; an option with no entry left is disabled.
    assert re.search(r'name="framework" value="tensorflow"\s+checked', html)
    assert re.search(r'name="data_type" value="graph"\s+disabled', html)
    # A chip removes the filter and keeps the others.
    assert 'href="?category=zz-testing"' in html


def test_facet_options_show_counts_for_other_choices(client, entries):
    response = client.get(LIST, {"category": TEST_CATEGORY}, **EN)
    html = text_of(response)
    match = re.search(
        r'name="framework" value="pytorch"[^>]*>\s*<label[^>]*>.*?<span class="count"[^>]*>(\d+)<',
        html,
        re.S,
    )
    assert match and match.group(1) == "1"


@pytest.mark.parametrize(
    ("query", "expected", "headers"),
    [
        ("图数据库", "zz-graphdb", ZH),
        ("graph database", "zz-graphdb", EN),
        ("推荐", "zz-recsys", ZH),
    ],
)
def test_search_finds_entries_in_both_languages(client, entries, query, expected, headers):
    response = client.get(LIST, {"q": query, "category": TEST_CATEGORY}, **headers)
    assert response.status_code == 200
    assert expected in result_slugs(response)
    assert "zz-oldnlp" not in result_slugs(response)


def test_htmx_request_gets_only_the_partial_with_oob_facets(client, entries):
    response = client.get(LIST, {"category": TEST_CATEGORY, "framework": "pytorch"},
                          **HTMX, **EN)
    assert response.status_code == 200
    html = text_of(response)
    assert "<html" not in html and "<header" not in html
    assert 'id="facets"' in html and 'hx-swap-oob="true"' in html
    assert result_slugs(response) == ["zz-torchrec"]
    assert "HX-Request" in response["Vary"]


def test_full_page_also_varies_on_hx_request(client, entries):
    response = client.get(LIST)
    html = text_of(response)
    assert "<html" in html and 'hx-get="/catalog/"' in html and 'hx-push-url="true"' in html
    assert 'hx-swap-oob' not in html
    assert "HX-Request" in response["Vary"]


def test_pagination_links_keep_the_filters(client, entries):
    add_filler_entries(15)
    response = client.get(LIST, {"category": TEST_CATEGORY, "framework": "pytorch"}, **EN)
    html = text_of(response)
    assert len(result_slugs(response)) == 12
    assert 'href="?category=zz-testing&amp;framework=pytorch&amp;page=2"' in html
    second = client.get(LIST, {"category": TEST_CATEGORY, "framework": "pytorch", "page": "2"})
    assert len(result_slugs(second)) == 4
    assert not set(result_slugs(second)) & set(result_slugs(response))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"framework": "cobol"}, "Framework"),
        ({"q": "x" * 5000}, "Search"),
        ({"sort": "chaos"}, "Sort by"),
        ({"maintained": "perhaps"}, "Use 1 or 0"),
    ],
)
def test_bad_list_input_gives_a_clear_message_not_an_error(client, entries, params, message):
    response = client.get(LIST, {"category": TEST_CATEGORY, **params}, **EN)
    assert response.status_code == 200
    html = text_of(response)
    assert 'role="alert"' in html and message in html
    # The valid parameters still apply.
    assert set(result_slugs(response)) <= {"zz-graphdb", "zz-recsys", "zz-torchrec", "zz-oldnlp"}
    assert result_slugs(response)


@pytest.mark.parametrize(
    ("page", "message"),
    [("abc", "is not a page number"), ("9999", "There is only 1 page"), ("0", "start at 1")],
)
def test_a_bad_page_number_is_a_neutral_notice_not_a_filter_error(client, entries, page,
                                                                   message):
    response = client.get(LIST, {"category": TEST_CATEGORY, "page": page}, **EN)
    assert response.status_code == 200
    html = text_of(response)
    notice = re.search(r'<p class="callout page-notice" role="status"[^>]*>([^<]*)</p>', html)
    assert notice and message in notice.group(1)
    assert "could not be used" not in html and "ignore them" not in html
    assert 'role="alert"' not in html
    assert len(result_slugs(response)) == 4
    # A real filter error still gets its own alert beside the page notice.
    both = text_of(client.get(LIST, {"category": TEST_CATEGORY, "page": page,
                                     "framework": "cobol"}, **EN))
    assert "could not be used" in both and 'role="status"' in both


@pytest.mark.parametrize("headers", [{}, HTMX])
@pytest.mark.parametrize("url", [LIST, "/", "/catalog/zz-recsys/", "/catalog/compare/?p=zz-recsys"])
def test_catalog_pages_vary_on_the_language_cookie(client, entries, url, headers):
    """The language follows the django_language cookie too: a shared cache must key on it."""
    response = client.get(url, **headers)
    assert response.status_code == 200
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary
    if url == LIST:
        assert "HX-Request" in vary


def test_links_that_keep_the_filters_drop_empty_parameters(client, entries):
    # What a plain form submission sends: every field, most of them empty.
    response = client.get(
        LIST + "?q=&sort=&category=zz-testing&framework=pytorch&framework=&maintained=", **EN
    )
    html = text_of(response)
    chips = re.findall(r'class="chip chip-active" href="\?([^"]*)"', html)
    assert chips and all("=&" not in chip and not chip.endswith("=") for chip in chips)
    assert 'href="?framework=pytorch"' in html  # removing the category keeps pytorch only


def test_facet_counts_say_what_ticking_gives(client, entries):
    html = text_of(client.get(LIST, {"category": TEST_CATEGORY, "framework": "tensorflow"},
                              **EN))
    assert "Values are ORed" in html
    pytorch = re.search(r'name="framework" value="pytorch".*?<span class="count[^"]*" '
                        r'title="([^"]+)"[^>]*>\+(\d+)<', html, re.S)
    tensorflow = client.get(LIST, {"category": TEST_CATEGORY, "framework": "tensorflow"}, **EN)
    both = client.get(
        LIST + f"?category={TEST_CATEGORY}&framework=tensorflow&framework=pytorch", **EN
    )
    added = len(result_slugs(both)) - len(result_slugs(tensorflow))
    assert pytorch and int(pytorch.group(2)) == added
    assert pytorch.group(1) == f"Ticking it too adds {added} entr{'y' if added == 1 else 'ies'}"
    selected = re.search(r'name="framework" value="tensorflow".*?<span class="count[^"]*" '
                         r'title="([^"]+)"', html, re.S)
    assert selected and "of the results have this value" in selected.group(1)


def test_list_page_has_a_skip_link_to_the_results(client, entries):
    html = text_of(client.get(LIST, **EN))
    skip = html.index('href="#results-area"')
    assert skip < html.index('id="q"') < html.index('id="facets"')
    assert re.search(r'<section class="results-area" id="results-area" tabindex="-1"', html)
    assert "Skip to results" in html


def test_htmx_includes_the_compare_form_not_a_selector_that_may_match_nothing(client, entries):
    html = text_of(client.get(LIST, **EN))
    assert 'hx-include="#compare-form"' in html and ":checked" not in html
    assert 'src="/static/js/catalog.js"' in html


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert response["Location"] == "/static/favicon.svg"
    from django.contrib.staticfiles import finders

    path = finders.find("favicon.svg")
    assert path and "<svg" in open(path, encoding="utf-8").read()
    html = text_of(client.get("/"))
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


def test_user_input_is_echoed_escaped(client, entries):
    attack = '<script>alert("x")</script>'
    response = client.get(LIST, {"q": attack, "framework": attack, "page": attack}, **EN)
    assert response.status_code == 200
    html = text_of(response)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_sql_fragment_in_search_is_just_text(client, entries):
    response = client.get(LIST, {"q": "' OR 1=1; DROP TABLE catalog_project; --"}, **EN)
    assert response.status_code == 200
    assert Project.objects.filter(slug="zz-graphdb").exists()


def test_list_query_count_does_not_grow_with_the_catalog(client, entries):
    params = {"framework": "pytorch", "q": "graph"}
    before, _ = warm_query_count(client, LIST, params)
    add_filler_entries(10)
    after, response = warm_query_count(client, LIST, params)
    assert "zz-filler" in text_of(response)
    assert after == before


# --- Detail ---------------------------------------------------------------------------------


def test_detail_shows_every_section_facts_facets_links_relations_and_stacks(client, entries):
    response = client.get("/catalog/zz-graphdb/", **EN)
    assert response.status_code == 200
    html = text_of(response)
    for text in ("A distributed graph database for knowledge graphs.", "Cypher queries",
                 "Stores adjacency lists in a B+ tree.", "Fraud detection", "Apache-2.0",
                 "github.com/example/zz-graph", "v2.0.1", "2025-03-04", "Documentation",
                 "Repository"):
        assert text in html
    assert 'href="/catalog/?data_type=graph"' in html
    assert 'href="/catalog/?scenario=knowledge-graph"' in html
    # Related from the other end, with a human label.
    assert "Integrates with" in html and 'href="/catalog/zz-recsys/"' in html
    # Stack membership with the role.
    assert "ZZ recommendation stack" in html and "graph store" in html


def test_detail_in_chinese(client, entries):
    html = text_of(client.get("/catalog/zz-graphdb/", **ZH))
    assert "面向知识图谱的分布式图数据库。" in html and "ACID 事务" in html
    assert "核心功能" in html
    assert "A distributed graph database" not in html


def test_unmaintained_entry_points_to_its_successor(client, entries):
    html = text_of(client.get("/catalog/zz-oldnlp/", **EN))
    assert "no longer maintained" in html
    assert re.search(r'successor <a href="/catalog/zz-torchrec/">ZZ Torch Recommender</a>', html)
    assert "No commits since 2022." in html


def test_detail_relation_labels_read_from_both_ends(client, entries):
    newer = text_of(client.get("/catalog/zz-torchrec/", **EN))
    older = text_of(client.get("/catalog/zz-recsys/", **EN))
    assert "Successor of" in newer
    assert "Succeeded by" in older and 'href="/catalog/zz-torchrec/"' in older


def test_detail_ask_the_advisor_link_is_prefilled(client, entries):
    html = text_of(client.get("/catalog/zz-recsys/", **EN))
    assert (
        'href="/advisor/?scenario=recommendation&amp;framework=tensorflow'
        '&amp;data_type=tabular&amp;q=ZZ+Recommender"' in html
    )


def test_unknown_slug_is_a_friendly_404(client, entries):
    response = client.get("/catalog/no-such-thing/", **EN)
    assert response.status_code == 404
    html = text_of(response)
    assert "Page not found" in html and 'action="/catalog/"' in html


def test_detail_query_count_does_not_grow_with_the_catalog(client, entries):
    url = "/catalog/zz-graphdb/"
    before, _ = warm_query_count(client, url)
    add_filler_entries(10)
    graphdb = entries["graphdb"]
    for index, filler in enumerate(Project.objects.filter(slug__startswith="zz-filler")):
        Relation.objects.create(source=filler, target=graphdb, type=RelationType.RUNS_ON)
        Link.objects.create(project=graphdb, title=f"Tutorial {index}",
                            url=f"https://example.com/t/{index}", type=LinkType.TUTORIAL)
    after, response = warm_query_count(client, url)
    assert "Tutorial 9" in text_of(response)
    assert after == before


def test_detail_query_count_is_small(client, entries, django_assert_max_num_queries):
    client.get("/catalog/zz-graphdb/")
    with django_assert_max_num_queries(14):
        client.get("/catalog/zz-graphdb/")


# --- Compare --------------------------------------------------------------------------------


def test_compare_shows_a_column_per_entry_and_marks_differing_rows(client, entries):
    response = client.get("/catalog/compare/", {"p": ["zz-recsys", "zz-torchrec", "zz-graphdb"]},
                          **EN)
    assert response.status_code == 200
    html = text_of(response)
    assert html.count('class="compare-head"') == 3
    assert 'class="differs"' in html and "≠" in html
    # Frameworks differ; licence is the same for all three (no marker on that row).
    licence_row = re.search(r"<tr class=\"([^\"]*)\">\s*<th scope=\"row\">[^<]*Licence", html)
    assert licence_row and licence_row.group(1) == ""
    assert "Wide &amp; Deep" in html
    # Remove links keep the others; a fourth entry can be added (those shown are not offered).
    assert 'href="/catalog/compare/?p=zz-torchrec&amp;p=zz-graphdb"' in html
    add_form = html[html.index('class="compare-add"'):]
    add_form = add_form[: add_form.index("</form>")]
    assert '<option value="zz-oldnlp">' in add_form
    assert '<option value="zz-recsys">' not in add_form
    assert '<input type="hidden" name="p" value="zz-recsys">' in add_form


def compare_alert(html: str) -> str:
    """The compare page's message box (the rest of the page may carry the URL)."""
    start = html.index('role="alert"')
    return html[start:html.index("</div>", start)]


@pytest.mark.parametrize(
    ("slugs", "message", "columns"),
    [
        (["zz-recsys"], "Pick at least 2 entries", 1),
        ([], "Pick at least 2 entries", 0),
        (["zz-recsys", "nope", "zz-graphdb"], "Unknown entry: nope.", 2),
        (["zz-recsys", "zz-recsys", "zz-graphdb"], "duplicates were ignored", 2),
        (["zz-recsys", "zz-torchrec", "zz-graphdb", "zz-oldnlp", "zz-filler"], "At most 4", 4),
        (["<script>x</script>", "zz-recsys"], "1 value was ignored", 1),
        (["x" * 5000, "zz-recsys"], "1 value was ignored", 1),
        (["a\x00b", "zz-recsys", "zz-graphdb"], "1 value was ignored", 2),
        (["a b", "a\x00b", "zz-recsys"], "2 values were ignored", 1),
    ],
)
def test_bad_compare_input_gives_a_clear_message(client, entries, slugs, message, columns):
    if "zz-filler" in slugs:
        add_filler_entries(1)
        slugs = [*slugs[:-1], "zz-filler-000"]
    response = client.get("/catalog/compare/", {"p": slugs}, **EN)
    assert response.status_code == 200
    html = text_of(response)
    assert message in html and 'role="alert"' in html
    assert html.count('class="compare-head"') == columns
    assert "<script>x" not in html
    alert = compare_alert(html)
    assert "x" * 100 not in alert and "\x00" not in alert


def test_ignored_compare_values_are_quoted_short_and_escaped(client, entries):
    response = client.get(
        "/catalog/compare/", {"p": ["<b>bold</b>" + "y" * 200, "zz-recsys", "zz-graphdb"]}, **EN
    )
    html = text_of(response)
    alert = compare_alert(html)
    assert "1 value was ignored" in alert
    assert "“&lt;b&gt;bold&lt;/b&gt;yyyyyyyyy…”" in alert and "y" * 20 not in alert
    assert html.count('class="compare-head"') == 2


@pytest.mark.parametrize(
    "name", ["q", "framework", "category", "sort", "stack", "maintained", "page"]
)
def test_nul_bytes_in_list_parameters_are_a_form_error_not_a_500(client, entries, name):
    response = client.get(LIST, {name: "a\x00b"}, **EN)
    assert response.status_code == 200
    if name != "page":
        assert 'role="alert"' in text_of(response)


# --- Languages ------------------------------------------------------------------------------


def test_default_language_is_chinese_and_accept_language_switches(client, entries):
    zh = text_of(client.get("/"))
    assert '<html lang="zh-hans">' in zh and "分类" in zh
    en = text_of(client.get("/", **EN))
    assert '<html lang="en">' in en and "Categories" in en and "分类" not in en


def test_set_language_post_switches_and_returns_to_the_page(client, entries):
    next_url = f"{LIST}?category={TEST_CATEGORY}"
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url},
                           **ZH)
    assert response.status_code == 302 and response["Location"] == next_url
    html = text_of(client.get(next_url, **ZH))
    assert '<html lang="en">' in html and "Compare selected" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "对比所选" in text_of(client.get(next_url, **EN))


def test_language_switch_form_is_on_every_page_with_next(client, entries):
    html = text_of(client.get("/catalog/zz-graphdb/", **EN))
    assert 'action="/i18n/setlang/"' in html
    assert 'name="next" type="hidden" value="/catalog/zz-graphdb/"' in html
