"""The JSON API: /api/projects/, /api/projects/<slug>/, /api/stacks/."""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import quote, urlencode

import pytest
from django.utils import translation

from catalog.models import FactSource, Link, Project, Relation, Stack, StackMember
from tests.helpers import make_project

pytestmark = pytest.mark.django_db

LIST_KEYS = {
    "slug", "name", "name_zh", "kind", "org", "license", "maintenance", "frameworks",
    "data_types", "scales", "scenarios", "category", "summary_zh", "summary_en", "url",
}
DETAIL_KEYS = LIST_KEYS | {
    "description", "maintenance_note", "last_release_year", "repo_url", "homepage",
    "features_zh", "features_en", "principles_zh", "principles_en", "use_cases_zh",
    "use_cases_en", "features", "principles", "use_cases", "links", "related", "successor",
    "stacks", "similar", "updated", "sources", "health",
}


@pytest.fixture
def small_catalog(small_catalog):
    """The shared small catalog plus the details, links and relations the API returns."""
    projects = small_catalog
    alpha, beta, gamma, zeta = (projects[s] for s in ("alpha", "beta", "gamma", "zeta"))
    alpha.features_zh, alpha.features_en = ["宽深模型"], ["Wide & Deep models"]
    alpha.principles_zh, alpha.principles_en = "参数服务器", "Parameter servers"
    alpha.use_cases_en = ["Feeds ranking"]
    alpha.repo_url = "https://github.com/example/alpha"
    alpha.last_release_tag, alpha.last_release_date = "v2.1", date(2024, 5, 6)
    alpha.last_commit, alpha.stars = date(2026, 10, 30), 1234
    alpha.health_checked = date(2026, 12, 1)
    alpha.save()
    FactSource.objects.create(project=alpha, fact="repository", checked=date(2026, 12, 1),
                              url="example/alpha:README.md@0123abc")
    FactSource.objects.create(project=alpha, fact="relation", detail="integrates-with:gamma",
                              url="https://example.org/alpha/gamma", checked=date(2026, 11, 2))
    zeta.successor = alpha
    zeta.save()
    Link.objects.create(project=alpha, title="Docs", url="https://example.org/alpha", type="docs")
    Relation.objects.create(source=alpha, target=gamma, type="integrates-with")
    Relation.objects.create(source=beta, target=alpha, type="alternative-to")
    return projects


def get_json(client, url: str, status: int = 200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


# --- /api/projects/ ---------------------------------------------------------------------------


def test_list_shape(client, small_catalog):
    data = get_json(client, "/api/projects/")
    assert data["count"] == 6 == len(data["results"])
    alpha = data["results"][0]
    assert set(alpha) == LIST_KEYS  # no score without q
    assert alpha == {
        "slug": "alpha", "name": "Alpha", "name_zh": "Alpha-中文", "kind": "open-source",
        "category": "recsys", "org": "Alibaba", "license": "Apache-2.0", "maintenance": "active",
        "frameworks": ["tensorflow"], "data_types": ["tabular"], "scales": ["cluster"],
        "scenarios": ["recommendation"], "summary_zh": alpha["summary_zh"],
        "summary_en": alpha["summary_en"], "url": "/catalog/alpha/",
    }


def test_list_filters_like_the_page(client, small_catalog):
    data = get_json(client, "/api/projects/?framework=tensorflow&framework=pytorch&scale=single")
    assert [item["slug"] for item in data["results"]] == ["zeta"]
    data = get_json(client, "/api/projects/?maintained=1&sort=maintenance")
    assert [item["slug"] for item in data["results"]] == ["alpha", "beta", "epsilon", "gamma"]
    assert data["sort"] == "maintenance"


@pytest.mark.parametrize("q", ["图数据库", "graph database"])
def test_list_search_has_scores_in_relevance_order(client, small_catalog, q):
    data = get_json(client, "/api/projects/?" + urlencode({"q": q}))
    assert data["results"][0]["slug"] == "gamma"
    assert data["query"] == q and data["sort"] == "relevance"
    scores = [item["score"] for item in data["results"]]
    assert all(score > 0 for score in scores) and scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"framework": "cobol"}, "framework"),
        ({"scenario": "time-travel"}, "scenario"),
        ({"sort": "price"}, "sort"),
        ({"q": "x" * 5000}, "q"),
        ({"maintained": "maybe"}, "maintained"),
        ({"stack": "nope"}, "stack"),
        ({"lang": "fr"}, "lang"),
    ],
)
def test_list_bad_input_is_a_400_with_field_errors(client, small_catalog, params, field):
    data = get_json(client, "/api/projects/?" + urlencode(params), status=400)
    assert list(data) == ["errors"]
    assert isinstance(data["errors"][field], list) and data["errors"][field][0]


def test_unknown_parameters_are_ignored(client, small_catalog):
    assert get_json(client, "/api/projects/?foo=bar&p=x")["count"] == 6


# --- /api/projects/: pages ----------------------------------------------------------------------


def slugs(data: dict) -> list[str]:
    return [item["slug"] for item in data["results"]]


def test_one_page_of_everything_has_no_links(client, small_catalog):
    data = get_json(client, "/api/projects/")
    assert list(data) == ["count", "next", "previous", "query", "sort", "results"]
    assert data["count"] == 6 and data["next"] is None and data["previous"] is None


def test_the_default_page_is_20_entries(client, small_catalog):
    for i in range(20):
        make_project(f"more-{i:02d}")
    first = get_json(client, "/api/projects/")
    assert first["count"] == 26 and len(first["results"]) == 20
    assert first["next"] == "http://testserver/api/projects/?page=2"
    second = get_json(client, first["next"])
    assert len(second["results"]) == 6 and second["next"] is None
    assert second["previous"] == "http://testserver/api/projects/?page=1"
    everything = [item["slug"] for item in (first["results"] + second["results"])]
    assert everything == slugs(get_json(client, "/api/projects/?page_size=100"))
    assert len(set(everything)) == 26


def test_links_keep_every_other_parameter(client, small_catalog):
    params = [("framework", "tensorflow"), ("framework", "pytorch"), ("lang", "en"),
              ("page_size", "2"), ("page", "2"), ("sort", "name")]
    data = get_json(client, "/api/projects/?" + urlencode(params))
    assert data["count"] == 4 and slugs(data) == ["gamma", "zeta"]
    kept = "framework=tensorflow&framework=pytorch&lang=en&page_size=2"
    assert data["previous"] == f"http://testserver/api/projects/?{kept}&page=1&sort=name"
    assert data["next"] is None
    first = get_json(client, data["previous"])
    assert slugs(first) == ["alpha", "beta"] and first["previous"] is None
    assert first["next"] == f"http://testserver/api/projects/?{kept}&page=2&sort=name"
    # Script text in a kept parameter comes back percent-encoded, never as markup.
    data = get_json(client, "/api/projects/?" + urlencode({"q": "<b>", "page_size": 1}))
    assert data["next"] is None or "<" not in data["next"]


def test_walking_the_pages_gives_each_entry_once_in_order(client, small_catalog):
    for sort in ("name", "maintenance"):
        whole = slugs(get_json(client, f"/api/projects/?sort={sort}"))
        walked, url = [], f"/api/projects/?sort={sort}&page_size=4"
        while url:
            data = get_json(client, url)
            assert data["count"] == 6 and len(data["results"]) <= 4
            walked += slugs(data)
            url = data["next"]
        assert walked == whole


def test_search_pages_keep_the_relevance_order(client, small_catalog):
    scores, url = [], "/api/projects/?" + urlencode({"q": "graph", "page_size": 1})
    while url:
        data = get_json(client, url)
        scores += [item["score"] for item in data["results"]]
        url = data["next"]
    assert len(scores) == data["count"] > 1
    assert scores == sorted(scores, reverse=True)


def test_page_one_of_an_empty_result_is_an_empty_list(client, small_catalog):
    data = get_json(client, "/api/projects/?" + urlencode({"q": "' OR 1=1 --", "page": 1}))
    assert data == {"count": 0, "next": None, "previous": None, "query": "' OR 1=1 --",
                    "sort": "relevance", "results": []}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page_size": "101"}, "Ensure this value is less than or equal to 100."),
        ({"page_size": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"page_size": "-3"}, "Ensure this value is greater than or equal to 1."),
        ({"page_size": "ten"}, "Enter a whole number."),
        ({"page_size": "2.5"}, "Enter a whole number."),
        ({"page_size": ["5", "6"]}, "Give one value: 2 different values were given."),
        ({"page": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"page": "two"}, "Enter a whole number."),
        ({"page": "<script>"}, "Enter a whole number."),
        ({"page": "9" * 5000}, "Ensure this value is less than or equal to 1000000."),
        ({"page": "3", "page_size": "3"},
         "Past the last page: there are 2 pages at this page size."),
        ({"page": "7", "page_size": "100"},
         "Past the last page: there is 1 page at this page size."),
        ({"page": "2", "q": "nothing-matches-this"},
         "Past the last page: there is 1 page at this page size."),
    ],
)
def test_bad_pages_are_a_400(client, small_catalog, params, message):
    data = get_json(client, "/api/projects/?" + urlencode(params, doseq=True) + "&lang=en",
                    status=400)
    field = "page_size" if "page_size" in params and "page" not in params else "page"
    assert data == {"errors": {field: [message]}}


def test_leading_zeros_are_the_same_page(client, small_catalog):
    url = "/api/projects/?page_size=4&page="
    assert slugs(get_json(client, url + "0" * 5000 + "2")) == slugs(get_json(client, url + "2"))


def test_page_errors_follow_the_language(client, small_catalog):
    data = get_json(client, "/api/projects/?page=9&lang=zh-hans", status=400)
    assert data["errors"]["page"] == ["超出最后一页：按此每页条数共 1 页。"]
    data = get_json(client, "/api/projects/?page_size=500&lang=zh-hans", status=400)
    assert data["errors"]["page_size"] == ["确保该值小于或等于100。"]


def test_filter_errors_come_before_the_page_check(client, small_catalog):
    data = get_json(client, "/api/projects/?framework=cobol&page=99&lang=en", status=400)
    assert list(data["errors"]) == ["framework"]


def test_a_page_loads_only_its_rows(client, small_catalog, django_assert_num_queries):
    """The same queries for page 1 and page 3, at N and 2N entries: the catalog version
    (vocabularies, facet table), one page of rows by id (its category joined) and its four
    facet prefetches."""
    url = "/api/projects/?page_size=2&page={}"
    client.get(url.format(1))  # the vocabularies are cached per catalog version

    def counted(page: int) -> tuple[int, list[str]]:
        with django_assert_num_queries(7) as captured:
            data = get_json(client, url.format(page))
        rows = [
            re.search(r'"catalog_project"\."id" IN \(([^)]*)\)', q["sql"])
            for q in captured.captured_queries
            if q["sql"].startswith('SELECT "catalog_project"."id"')
        ]
        assert len(rows) == 1 and rows[0]  # the page's rows, and nothing else, by id
        assert len(rows[0].group(1).split(",")) == len(slugs(data))
        return data["count"], slugs(data)

    assert counted(1)[0] == 6 and len(counted(3)[1]) == 2
    for i in range(6):
        make_project(f"more-{i}", frameworks=["pytorch"], category=f"c-{i}")
    client.get(url.format(1))
    assert counted(1)[0] == 12 and len(counted(6)[1]) == 2


def test_script_in_q_comes_back_escaped(client, small_catalog):
    payload = "<script>alert(1)</script>"
    response = client.get("/api/projects/?" + urlencode({"q": payload}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>" not in body and "\\u003cscript\\u003e" in body
    assert response.json()["query"] == payload  # the value itself is intact
    response = client.get("/api/projects/?" + urlencode({"framework": payload}))
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()  # the error message echoes it, escaped


def test_sql_fragment_in_q_is_just_text(client, small_catalog):
    data = get_json(client, "/api/projects/?" + urlencode({"q": "' OR 1=1 --"}))
    assert data["count"] == 0
    assert Project.objects.count() == 6


def test_list_query_count_is_the_same_for_n_and_2n_entries(
    client, small_catalog, django_assert_num_queries
):
    url = "/api/projects/?framework=tensorflow&framework=pytorch&q=graph"
    client.get(url)  # builds the search index
    with django_assert_num_queries(8):
        small = client.get(url).json()
    for i in range(6):
        make_project(f"more-{i}", frameworks=["pytorch"], scenarios=[f"s-{i}"],
                     category=f"c-{i}", summary="graph learning")
    client.get(url)
    with django_assert_num_queries(8):
        large = client.get(url).json()
    assert large["count"] > small["count"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("url", ["/api/projects/", "/api/projects/alpha/", "/api/stacks/"])
def test_other_methods_are_a_405_with_a_json_body(client, small_catalog, method, url):
    response = getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": "Method not allowed", "allowed": ["GET", "HEAD"]}


def test_the_405_message_follows_the_language(client, small_catalog):
    response = client.post("/api/projects/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 405
    assert response.json()["error"] == "不允许使用该请求方法"


@pytest.mark.parametrize("url", ["/api/projects/", "/api/projects/alpha/", "/api/stacks/"])
def test_head_works_like_get(client, small_catalog, url):
    response = client.head(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.content == b""  # the body is dropped, the headers are GET's


def test_api_answers_vary_on_the_language_cookie(client, small_catalog):
    vary = client.get("/api/projects/")["Vary"]
    assert "Accept-Language" in vary and "Cookie" in vary


def test_public_json_helpers_for_other_apis(rf):
    from aliadvisor.api import json_response, method_not_allowed

    response = json_response({"q": "<b>&"}, status=201)
    assert response.status_code == 201
    assert response.content.decode() == '{"q": "\\u003cb\\u003e\\u0026"}'
    with translation.override("en"):
        denied = method_not_allowed(rf.post("/x"), allowed=["POST"])
    assert denied.status_code == 405 and denied["Allow"] == "POST"
    assert json.loads(denied.content) == {"error": "Method not allowed", "allowed": ["POST"]}


def test_a_new_router_answers_other_methods_with_the_json_405():
    """Another app's endpoint (a POST, say) gets the same 405 by using aliadvisor.api.Router."""
    from ninja.testing import TestClient

    from aliadvisor.api import Router

    router = Router()

    @router.post("things/")
    def create_thing(request):
        return {"ok": True}

    client = TestClient(router)
    assert client.post("things/").status_code == 200
    for method in ("get", "delete", "put", "patch"):
        response = getattr(client, method)("things/")
        assert response.status_code == 405 and response["Allow"] == "POST"
        assert json.loads(response.content)["allowed"] == ["POST"]


# --- /api/projects/<slug>/ --------------------------------------------------------------------


def test_detail_shape(client, small_catalog):
    data = get_json(client, "/api/projects/alpha/?lang=en")
    assert set(data) == DETAIL_KEYS
    assert data["links"] == [
        {"title": "Docs", "url": "https://example.org/alpha", "type": "docs"}
    ]
    assert data["related"] == [
        {"slug": "gamma", "relation": "integrates-with", "direction": "out"},
        {"slug": "beta", "relation": "alternative-to", "direction": "in"},
    ]
    assert data["stacks"] == ["recsys-stack"]
    assert data["successor"] is None
    assert data["similar"][0] == "beta" and "alpha" not in data["similar"]
    assert len(data["similar"]) <= 5
    assert data["last_release_year"] == 2024
    assert data["repo_url"] == "https://github.com/example/alpha"
    assert data["updated"].startswith(str(Project.objects.get(slug="alpha").updated.year))
    assert get_json(client, "/api/projects/zeta/")["successor"] == "alpha"


def test_detail_sources_and_health(client, small_catalog):
    data = get_json(client, "/api/projects/alpha/")
    # In the order of the facts (repository first), not alphabetically.
    assert data["sources"] == [
        {"fact": "repository", "url": "https://github.com/example/alpha/blob/0123abc/README.md",
         "checked": "2026-12-01"},
        {"fact": "relation:integrates-with:gamma", "url": "https://example.org/alpha/gamma",
         "checked": "2026-11-02"},
    ]  # fmt: skip
    assert data["health"] == {
        "last_commit": "2026-10-30", "last_release": {"tag": "v2.1", "date": "2024-05-06"},
        "archived": None, "stars": 1234, "open_issues": None, "checked": "2026-12-01",
    }  # fmt: skip
    # An entry with no health: the whole block is null, and no sources is an empty list.
    beta = get_json(client, "/api/projects/beta/")
    assert beta["health"] is None and beta["sources"] == []
    # A commit date alone: no release.
    Project.objects.filter(slug="beta").update(last_commit=date(2025, 1, 2))
    assert get_json(client, "/api/projects/beta/")["health"]["last_release"] is None


def test_detail_language(client, small_catalog):
    en = get_json(client, "/api/projects/alpha/?lang=en")
    assert en["features"] == ["Wide & Deep models"] and en["principles"] == "Parameter servers"
    zh = get_json(client, "/api/projects/alpha/?lang=zh-hans")
    assert zh["features"] == ["宽深模型"] and zh["principles"] == "参数服务器"
    assert zh["use_cases"] == ["Feeds ranking"]  # no Chinese text: falls back to English
    by_header = get_json(client, "/api/projects/alpha/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert by_header["features"] == ["Wide & Deep models"]
    assert en["features_zh"] == zh["features_zh"] == ["宽深模型"]


def test_detail_query_count_is_constant(client, small_catalog, django_assert_num_queries):
    client.get("/api/projects/alpha/")
    with django_assert_num_queries(12):
        client.get("/api/projects/alpha/")
    alpha = small_catalog["alpha"]
    FactSource.objects.bulk_create(
        FactSource(project=alpha, fact="description", url=f"https://example.org/{i}",
                   checked=date(2026, 12, 1))
        for i in range(20)
    )  # fmt: skip
    client.get("/api/projects/alpha/")
    with django_assert_num_queries(12):
        assert len(client.get("/api/projects/alpha/").json()["sources"]) == 22


@pytest.mark.parametrize(
    "slug", ["nope", "<script>", "' OR 1=1 --", "x" * 2000, "ALPHA", "tugraph-db%00", "a\x00b"]
)
def test_unknown_slug_is_a_404_json(client, small_catalog, slug):
    response = client.get(f"/api/projects/{quote(slug, safe='')}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "<script>" not in body
    data = json.loads(body)
    assert data["error"] and data["slug"] == slug[:200]


@pytest.mark.parametrize("slug", ["a\x00b", "alpha\x00", "<script>", "al pha"])
def test_a_slug_that_cannot_be_one_is_answered_without_a_query(
    client, small_catalog, slug, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get(f"/api/projects/{quote(slug, safe='')}/")
    assert response.status_code == 404 and response.json()["slug"] == slug


@pytest.mark.parametrize("name", ["q", "framework", "category", "sort", "stack", "maintained"])
def test_a_nul_byte_in_a_list_parameter_is_a_400(client, small_catalog, name):
    data = get_json(client, "/api/projects/?" + urlencode({name: "a\x00b"}), status=400)
    assert data["errors"][name]


@pytest.mark.parametrize("url", ["/api/projects/", "/api/projects/alpha/", "/api/stacks/"])
def test_different_lang_values_are_a_400_like_the_advise_api(client, small_catalog, url):
    data = get_json(client, f"{url}?lang=en&lang=zh-hans", status=400, HTTP_ACCEPT_LANGUAGE="en")
    assert data == {"errors": {"lang": ["Give one value: 2 different values were given."]}}
    # The same value twice is no conflict.
    assert get_json(client, f"{url}?lang=en&lang=en")


@pytest.mark.parametrize(
    ("lang", "features"),
    [("zh", ["宽深模型"]), ("zh-CN", ["宽深模型"]), ("ZH-HANS", ["宽深模型"]),
     ("en-us", ["Wide & Deep models"]), (" en ", ["Wide & Deep models"])],
)
def test_lang_takes_the_spellings_the_advise_api_takes(client, small_catalog, lang, features):
    url = "/api/projects/alpha/?" + urlencode({"lang": lang})
    assert get_json(client, url, HTTP_ACCEPT_LANGUAGE="fr")["features"] == features


# --- /api/stacks/ ------------------------------------------------------------------------------


def test_stacks_shape(client, small_catalog):
    data = get_json(client, "/api/stacks/?lang=en")
    assert data["count"] == 1
    assert data["results"] == [
        {
            "slug": "recsys-stack", "name_zh": "推荐栈", "name_en": "Recsys stack",
            "description_zh": "推荐", "description_en": "Recommendation", "scenarios": [],
            "counterpart": None, "featured": False,
            "members": [
                {"slug": "alpha", "role": "Models", "role_zh": "模型", "role_en": "Models",
                 "optional": False, "choice_group": ""},
                {"slug": "beta", "role": "Training", "role_zh": "训练", "role_en": "Training",
                 "optional": True, "choice_group": ""},
            ],
        }
    ]
    zh = get_json(client, "/api/stacks/?lang=zh-hans")
    assert [m["role"] for m in zh["results"][0]["members"]] == ["模型", "训练"]


def test_stacks_query_count_is_constant(client, small_catalog, django_assert_num_queries):
    with django_assert_num_queries(3):
        client.get("/api/stacks/")
    for i in range(4):
        stack = Stack.objects.create(slug=f"s{i}", name_zh="栈", name_en="Stack",
                                     description_zh="-", description_en="-")
        for slug in ("gamma", "delta"):
            StackMember.objects.create(stack=stack, project=small_catalog[slug],
                                       role_zh="角色", role_en="Role")
    with django_assert_num_queries(3):
        assert client.get("/api/stacks/").json()["count"] == 5


# --- The real catalog ---------------------------------------------------------------------------


def test_real_catalog_list_and_search(client, real_catalog):
    data = get_json(client, "/api/projects/")
    assert data["count"] == Project.objects.count() >= 43
    data = get_json(client, "/api/projects/?" + urlencode({"q": "推荐"}))
    assert "easyrec" in [item["slug"] for item in data["results"][:5]]
    data = get_json(client, "/api/projects/?" + urlencode({"q": "graph database"}))
    assert "tugraph-db" in [item["slug"] for item in data["results"][:3]]


def test_real_catalog_detail_and_stacks(client, real_catalog):
    data = get_json(client, "/api/projects/easyrec/?lang=en")
    assert set(data) == DETAIL_KEYS
    assert "torcheasyrec" in {r["slug"] for r in data["related"]} | set(data["similar"]) | {
        data["successor"]
    }
    assert "tf-recsys" in data["stacks"]
    stacks = {s["slug"]: s for s in get_json(client, "/api/stacks/")["results"]}
    assert {"tf-recsys", "graph-database", "learning-path"} <= set(stacks)
    assert [m["slug"] for m in stacks["tf-recsys"]["members"]][:2] == ["easyrec", "deeprec"]


def test_real_catalog_query_count_for_n_and_2n_entries(
    client, real_catalog, django_assert_num_queries
):
    url = "/api/projects/?" + urlencode(
        [("q", "图数据库"), ("framework", "tensorflow"), ("framework", "pytorch"),
         ("maintained", "1")]
    )
    n = Project.objects.count()
    client.get(url)  # builds the index
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    for i in range(n):
        make_project(f"copy-{i}", frameworks=["pytorch"], data_types=["graph"],
                     scenarios=["knowledge-graph"], summary="图数据库 graph database")
    client.get(url)
    with django_assert_num_queries(8):
        data = client.get(url).json()
    assert Project.objects.count() == 2 * n
    assert data["count"] > n and len(data["results"]) == 20  # one page, however many match
    found, url = set(), url + "&page_size=100"
    while url:
        data = client.get(url).json()
        found |= {item["slug"] for item in data["results"]}
        url = data["next"]
    assert {f"copy-{i}" for i in range(n)} <= found
