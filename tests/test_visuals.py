"""Pictures and downloads: stack diagrams, stack pages, the ecosystem graph and its API, the
landscape, stats, neighbourhoods, health at a glance, exports, and the fixes of issue 11."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from catalog.charts import commit_age_items
from catalog.diagrams import DiagramMember, stack_diagrams
from catalog.export import safe_cell
from catalog.importer import english_link_title
from catalog.landscape import monogram
from catalog.models import Framework, Link, Maintenance, Project, Relation, Stack, StackMember
from catalog.versioning import bump_catalog_version

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}
NEW_PAGES = ["/stacks/", "/stacks/tf-recsys/", "/catalog/graph/", "/catalog/landscape/",
             "/catalog/stats/"]


def html_of(response) -> str:
    return response.content.decode()


def member(slug, layer, **kwargs) -> DiagramMember:
    return DiagramMember(slug=slug, name=slug.title(), role=f"{slug} role", layer=layer,
                         url=f"/catalog/{slug}/", **kwargs)


# --- Stack diagrams ------------------------------------------------------------------------


@translation.override("en")
def test_a_stack_diagram_draws_layers_in_order_and_marks_each_member():
    members = [
        member("lib", "model-library", core=True),
        member("engine", "training-engine", maintenance=Maintenance.LOW_ACTIVITY),
        member("app", "application", optional=True),
        member("old", "platform", maintenance=Maintenance.UNMAINTAINED),
    ]
    wide, narrow = stack_diagrams(members=members, title="Test stack", ident="t")
    assert (wide.variant, narrow.variant) == ("wide", "narrow")
    # Layers run from the application down to the platform, whatever the members' order.
    assert [band.layer for band in wide.bands] == [
        "application", "model-library", "training-engine", "platform"
    ]
    assert [band.y for band in wide.bands] == sorted(band.y for band in wide.bands)
    badges = {box.member.slug: [badge.kind for badge in box.badges] for box in wide.boxes}
    assert badges == {"lib": ["core"], "engine": ["low-activity"], "app": ["optional"],
                      "old": ["unmaintained"]}
    # Screen readers get the whole picture as text.
    assert "Model library: Lib (Core)" in wide.desc
    assert "Engine (Low activity)" in wide.desc and "Old (Unmaintained)" in wide.desc
    # Every box fits its picture.
    for diagram in (wide, narrow):
        for box in diagram.boxes:
            assert 0 <= box.x and box.x + box.width <= diagram.width


@translation.override("en")
def test_choice_groups_are_drawn_as_alternatives():
    side_by_side = [member("a", "compute-engine", choice_group="g"),
                    member("b", "compute-engine", choice_group="g"),
                    member("c", "compute-engine")]
    wide, _narrow = stack_diagrams(members=side_by_side, title="T", ident="t")
    assert len(wide.ors) == 1 and not wide.connectors
    a, b = (box for box in wide.boxes if box.member.slug in "ab")
    assert a.x + a.width < wide.ors[0].x < b.x  # the "or" sits between the two
    across = [member("a", "compute-engine", choice_group="g"),
              member("b", "storage-vectors", choice_group="g")]
    wide, _narrow = stack_diagrams(members=across, title="T", ident="t")
    assert not wide.ors and len(wide.connectors) == 1  # a dashed "or" line between layers
    assert "one of: A or B" in wide.desc


def test_the_stack_diagram_svg_has_title_desc_links_and_no_style_attribute(client):
    html = html_of(client.get("/stacks/graph-risk-control/", **EN))
    svgs = re.findall(r"<svg class=\"diagram-(?:wide|narrow)\".*?</svg>", html, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert "<title id=" in svg and "<desc id=" in svg and "aria-labelledby=" in svg
        assert "style=" not in svg
        assert 'href="/catalog/graphscope/"' in svg and "★ Core" in svg
        assert ">or</text>" in svg  # GraphScope or TuGraph DB, Graph-Learn or AGL
        assert ">Unmaintained</text>" in svg  # AGL


def test_every_new_page_answers_in_both_languages_without_inline_styles(client):
    for url in NEW_PAGES:
        for headers, lang in ((EN, "en"), (ZH, "zh-hans")):
            response = client.get(url, **headers)
            assert response.status_code == 200, url
            html = html_of(response)
            assert f'<html lang="{lang}">' in html
            # The production CSP forbids style attributes: the new pictures use none.
            body = html.split("<main", 1)[1]
            assert " style=" not in body, url


# --- Stack pages ---------------------------------------------------------------------------


def test_the_stacks_page_lists_every_stack_with_its_diagram(client):
    html = html_of(client.get("/stacks/", **EN))
    for stack in Stack.objects.all():
        assert f'href="/stacks/{stack.slug}/"' in html
        assert f'id="stack-{stack.slug}-wide-title"' in html


def test_a_stack_page_shows_members_what_each_adds_counterpart_and_advisor_link(client):
    response = client.get("/stacks/tf-recsys/", **EN)
    html = html_of(response)
    assert "TensorFlow recommendation stack" in html
    assert "Members and what each adds" in html
    # Each member says what it adds: its own summary, not the stack's description.
    easyrec = Project.objects.get(slug="easyrec")
    assert escape(easyrec.summary_en.split(". ")[0]) in html
    assert 'href="/stacks/torch-recsys/"' in html  # its counterpart
    advisor = re.search(r'class="button button-primary" href="(/advisor/\?[^"]+)"', html)
    assert advisor
    url = advisor.group(1).replace("&amp;", "&")
    assert "framework=tensorflow" in url and "scenario=" in url
    followed = client.get(url, **EN)
    assert followed.status_code == 200
    assert "Please check your answers" not in html_of(followed)
    assert 'id="stack-tf-recsys"' in html_of(followed)  # the advisor recommends it


def test_an_unknown_stack_is_a_404(client):
    assert client.get("/stacks/no-such-stack/", **EN).status_code == 404
    assert client.get("/stacks/%3Cscript%3E/", **EN).status_code == 404


def test_stack_pages_query_count_does_not_grow_with_the_stacks(client):
    client.get("/stacks/", **EN)
    with CaptureQueriesContext(connection) as before:
        client.get("/stacks/", **EN)
    stack = Stack.objects.create(slug="zz-extra", name_zh="额外", name_en="Extra",
                                 description_zh="额外", description_en="Extra")
    for index, project in enumerate(Project.objects.all()[:4]):
        StackMember.objects.create(stack=stack, project=project, role_zh="角色",
                                   role_en="Role", position=index)
    client.get("/stacks/", **EN)
    with CaptureQueriesContext(connection) as after:
        client.get("/stacks/", **EN)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_advice_results_draw_the_recommended_stacks(client):
    html = html_of(client.get("/advisor/", {"q": "fraud detection on a transaction graph"},
                              **EN))
    assert 'id="advice-graph-risk-control-wide-title"' in html
    block = html.split('id="stack-graph-risk-control"', 1)[1].split("</article>", 1)[0]
    assert ">Unmaintained</text>" in block and ">Low activity</text>" in block
    assert "Unmaintained</span>" in block  # the member list says it too


def test_members_of_one_stack_do_not_all_say_the_same(client):
    from advisor.catalog_source import get_engine
    from advisor.engine.types import Answers

    advice = get_engine().advise(Answers(scenario="recommendation", framework="tensorflow",
                                         language="en"))
    stack = next(s for s in advice.stacks if s.slug == "tf-recsys")
    texts = [m.adds.message_en.split(": ", 1)[1] for m in stack.members]
    assert len(set(texts)) == len(texts)
    assert all("(" in text for text in texts)  # role plus the member's own reason


# --- Ecosystem graph -----------------------------------------------------------------------


def test_the_graph_api_holds_every_entry_and_relation_in_both_languages(client):
    response = client.get("/api/graph/", **EN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert {node["id"] for node in data["nodes"]} == set(
        Project.objects.values_list("slug", flat=True)
    )
    edges = {(e["source"], e["type"], e["target"]) for e in data["edges"]}
    for source, kind, target in Relation.objects.values_list("source__slug", "type",
                                                             "target__slug"):
        assert (source, kind, target) in edges
    # A successor set on the entry is an edge too.
    assert ("torcheasyrec", "successor-of", "easyrec") in edges
    easyrec = next(node for node in data["nodes"] if node["id"] == "easyrec")
    assert easyrec["name"] == "EasyRec" and easyrec["name_zh"]
    assert easyrec["url"] == "/catalog/easyrec/" and easyrec["maintenance"] == "low-activity"
    categories = {c["slug"]: c for c in data["categories"]}
    assert categories[easyrec["category"]]["name_zh"]
    chinese = client.get("/api/graph/", **ZH).json()
    label = next(n["label"] for n in chinese["nodes"] if n["id"] == "easyrec")
    assert label == easyrec["name_zh"]
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_graph_api_answers_other_methods_with_a_json_405(client, method):
    response = getattr(client, method)("/api/graph/")
    assert response.status_code == 405
    assert response.json()["allowed"] == ["GET", "HEAD"]
    assert response["Allow"] == "GET, HEAD"
    assert client.head("/api/graph/").status_code == 200


def test_the_graph_api_query_count_is_fixed(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/api/graph/")


def test_the_graph_page_lists_every_relation_without_javascript(client):
    html = html_of(client.get("/catalog/graph/", **EN))
    assert 'src="/static/vendor/g6/g6.min.js"' in html and "/static/js/graph.js" in html
    assert 'data-graph-url="/api/graph/"' in html
    assert "cdn" not in html.lower()
    fallback = html.split('id="graph-list-title"', 1)[1]
    for relation in Relation.objects.select_related("source", "target"):
        assert f'href="/catalog/{relation.target.slug}/"' in fallback
        assert f'href="/catalog/{relation.source.slug}/"' in fallback


def test_a_detail_page_shows_its_neighbourhood(client):
    html = html_of(client.get("/catalog/easyrec/", **EN))
    picture = html.split('id="sec-neighbourhood"', 1)[1].split("</section>", 1)[0]
    assert "<title id=" in picture and "style=" not in picture
    for slug in ("deeprec", "torcheasyrec"):
        assert f'href="/catalog/{slug}/"' in picture
    assert 'href="/stacks/tf-recsys/"' in picture
    wide = picture.split('class="diagram-narrow"', 1)[0]
    assert wide.count('href="/catalog/torcheasyrec/"') == 1  # successor drawn once


# --- Landscape -----------------------------------------------------------------------------


def test_monograms_come_from_the_name():
    assert monogram("GraphScope") == "GS"
    assert monogram("TuGraph DB") == "TD"
    assert monogram("Nacos") == "Na"
    assert monogram("AGL (Ant Graph Learning)") == "AG"
    assert monogram("机器学习平台") == "机"


def test_the_landscape_groups_tiles_by_category_and_applies_the_filters(client):
    html = html_of(client.get("/catalog/landscape/", **EN))
    assert html.count('class="tile tile-') == Project.objects.count()
    assert "tile-unmaintained" in html and "tile-low-activity" in html
    assert '<svg class="monogram"' in html
    filtered = html_of(client.get("/catalog/landscape/", {"framework": "pytorch"}, **EN))
    expected = Project.objects.filter(frameworks__slug="pytorch").count()
    assert filtered.count('class="tile tile-') == expected
    assert 'name="framework" value="pytorch"' in filtered and "checked" in filtered
    bad = client.get("/catalog/landscape/", {"kind": "<script>"}, **EN)
    assert bad.status_code == 200 and "could not be used" in html_of(bad)
    assert "<script>" not in html_of(bad).split("<main", 1)[1].split("</main>", 1)[0]


# --- Stats ---------------------------------------------------------------------------------


def test_stats_draw_each_dimension_with_numbers_as_text(client):
    html = html_of(client.get("/catalog/stats/", **EN))
    total = Project.objects.count()
    assert f"{total} entries" in html
    for section in ("category", "kind", "maintenance", "license", "org", "last-commit"):
        block = html.split(f'id="stats-{section}"', 1)[1].split("</section>", 1)[0]
        values = [int(v) for v in re.findall(r'font-weight="700" fill="#1d2330">(\d+)</text>',
                                            block.split('class="diagram-narrow"')[0])]
        assert sum(values) == total, section
    active = Project.objects.filter(maintenance="active").count()
    assert f"<td>{active}</td>" in html
    Project.objects.update(last_commit=None)
    bump_catalog_version()  # a bulk update sends no signal; every writer records the change
    without = html_of(client.get("/catalog/stats/", **EN))
    assert "last-commit" not in without  # no health data: no chart of it


def test_commit_ages_fall_into_buckets():
    today = dt.date(2026, 12, 1)
    dates = [today - dt.timedelta(days=d) for d in (3, 100, 400, 1000)] + [None]
    items = commit_age_items(dates=dates, today=today)
    assert [item.value for item in items] == [1, 1, 1, 1, 1]
    assert commit_age_items(dates=[None, None], today=today) == []


def test_health_data_shows_on_cards_tiles_detail_and_stats(client):
    Project.objects.update(last_commit=None, stars=None)
    bump_catalog_version()  # a bulk update sends no signal; every writer records the change
    stats = html_of(client.get("/catalog/stats/", **EN))
    assert 'id="stats-last-commit"' not in stats
    listing = html_of(client.get("/catalog/", {"q": "GraphScope"}, **EN))
    assert 'class="health-glance' not in listing  # nothing to show: nothing shown
    Project.objects.filter(slug="graphscope").update(
        last_commit=dt.date.today() - dt.timedelta(days=40), stars=3456, open_issues=12,
        health_checked=dt.date.today(),
    )
    bump_catalog_version()
    listing = html_of(client.get("/catalog/", {"q": "GraphScope"}, **EN))
    assert "last commit 1 month ago" in listing and "3.4k" in listing
    assert "3.4k" in html_of(client.get("/catalog/landscape/", **EN))
    detail = html_of(client.get("/catalog/graphscope/", **EN))
    assert "Last commit" in detail and "3456" in detail and "Open issues" in detail
    stats = html_of(client.get("/catalog/stats/", **EN))
    assert 'id="stats-last-commit"' in stats and "Under 3 months" in stats


# --- Exports -------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_filtered_list_downloads_as_csv_and_json(client):
    response = client.get("/catalog/export.csv", {"framework": "pytorch"}, **EN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    expected = set(Project.objects.filter(frameworks__slug="pytorch")
                   .values_list("slug", flat=True))
    assert rows[0][0] == "slug" and {row[0] for row in rows[1:]} == expected
    data = json.loads(client.get("/catalog/export.json", {"framework": "pytorch"}).content)
    assert data["count"] == len(expected) and data["filters"] == "framework=pytorch"
    assert {item["slug"] for item in data["results"]} == expected
    assert data["results"][0]["url"].startswith("http://testserver/catalog/")
    everything = read_csv(client.get("/catalog/export.csv"))
    assert len(everything) == Project.objects.count() + 1


def test_exports_with_bad_filters_say_why(client):
    response = client.get("/catalog/export.csv", {"kind": "nonsense"}, **EN)
    assert response.status_code == 400 and "Kind" in response.content.decode()
    response = client.get("/catalog/export.json", {"kind": "nonsense"})
    assert response.status_code == 400 and "kind" in response.json()["errors"]


def test_csv_cells_cannot_run_as_formulas():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("-1") == "'-1" and safe_cell("@x") == "'@x"
    assert safe_cell("Apache-2.0") == "Apache-2.0" and safe_cell(None) == ""


def test_the_comparison_downloads_as_csv(client):
    response = client.get("/catalog/compare.csv?p=easyrec&p=torcheasyrec", **EN)
    assert response.status_code == 200
    rows = read_csv(response)
    assert rows[0] == ["Entry", "EasyRec", "TorchEasyRec"]
    labels = [row[0] for row in rows]
    assert "Licence" in labels and "Frameworks" in labels
    assert client.get("/catalog/compare.csv?p=nope", **EN).status_code == 400
    page = html_of(client.get("/catalog/compare/?p=easyrec&p=torcheasyrec", **EN))
    assert 'href="/catalog/compare.csv?p=easyrec&amp;p=torcheasyrec"' in page


# --- Fixes ---------------------------------------------------------------------------------


def test_maintenance_notes_and_link_titles_follow_the_language(client):
    project = Project.objects.get(slug="easyrec")
    project.maintenance_note = "English note about the pace"
    project.maintenance_note_zh = "关于节奏的中文说明"
    project.save()
    link = Link.objects.filter(project=project).first()
    link.title, link.title_en = "中文标题文档", "English documentation title"
    link.save()
    english = html_of(client.get("/catalog/easyrec/", **EN))
    chinese = html_of(client.get("/catalog/easyrec/", **ZH))
    assert "English note about the pace" in english and "关于节奏的中文说明" not in english
    assert "关于节奏的中文说明" in chinese and "English note about the pace" not in chinese
    assert "English documentation title" in english and "中文标题文档" not in english
    assert "中文标题文档" in chinese


def test_the_compare_picker_starts_on_a_placeholder(client):
    html = html_of(client.get("/catalog/compare/?p=easyrec", **EN))
    select = html.split('<select id="compare-add"', 1)[1].split("</select>", 1)[0]
    first = re.search(r"<option[^>]*>", select).group(0)
    assert 'value=""' in first and "selected" in first and "disabled" in first
    assert "required" in select.split(">", 1)[0]


def test_compare_selected_is_marked_for_the_two_entry_minimum(client):
    html = html_of(client.get("/catalog/", **EN))
    assert 'data-compare-submit data-compare-min="2"' in html


def test_a_term_whose_names_are_equal_is_named_once():
    term = Framework(slug="x", name_en="PyTorch", name_zh="PyTorch")
    assert str(term) == "PyTorch"
    assert str(Framework(slug="y", name_en="Any", name_zh="任意")) == "Any / 任意"


def test_imported_links_get_an_english_title_only_when_language_neutral():
    assert english_link_title(title="alibaba/EasyRec") == "alibaba/EasyRec"
    assert english_link_title(title="EasyRec 文档") == ""
