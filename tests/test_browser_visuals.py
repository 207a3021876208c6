"""The new pages in headless Chromium: stack pages, graph, landscape, stats; phone widths,
JavaScript off, keyboard use, and axe-core on every page in both languages."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import wait_for_js

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
NEW_PAGES = {
    "stacks": "/stacks/",
    "stack": "/stacks/graph-risk-control/",
    "graph": "/catalog/graph/",
    "landscape": "/catalog/landscape/",
    "stats": "/catalog/stats/",
}
EVERY_PAGE = {
    "home": "/",
    "list": "/catalog/?framework=tensorflow",
    "detail": "/catalog/easyrec/",
    "compare": "/catalog/compare/?p=easyrec&p=torcheasyrec",
    "advisor": "/advisor/",
    "advice": "/advisor/?q=fraud+detection+on+a+transaction+graph",
    **NEW_PAGES,
}
LOCALES = {"en": "en-US", "zh-hans": "zh-CN"}


def open_page(browser, url: str, *, locale: str = "en-US", width: int = 1280, **options):
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900},
                                  **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(url, timeout=30_000)  # the first request of a session builds the indexes
    return context, page


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("lang", list(LOCALES))
def test_new_pages_in_both_languages_and_on_a_phone(browser, catalog_live_server, lang):
    """One live server per language (loading the catalog is the slow part), every new page."""
    for name, path in NEW_PAGES.items():
        for width in (1280, 390):
            context, page = open_page(browser, catalog_live_server.url + path,
                                      locale=LOCALES[lang], width=width)
            try:
                assert page.locator("html").get_attribute("lang") == lang
                assert page.locator("h1").first.is_visible()
                assert overflow(page) <= 0, (name, lang, width)
                # The picture that fits is the one shown.
                pictures = page.locator(".diagram svg:visible")
                if name in ("stacks", "stack", "stats"):
                    assert pictures.count() >= 1, name
                    variant = "narrow" if width == 390 else "wide"
                    assert all(variant in (pictures.nth(i).get_attribute("class") or "")
                               for i in range(pictures.count())), (name, width)
            finally:
                context.close()


def test_a_stack_page_draws_its_members_and_links_them(page):
    page.goto(f"{page.base_url}/stacks/graph-risk-control/")
    diagram = page.locator(".stack-diagram svg.diagram-wide")
    assert diagram.locator("title").first.text_content() == "Graph-based risk control"
    diagram.locator('a[href="/catalog/graphscope/"]').click()
    page.wait_for_url(re.compile(r"/catalog/graphscope/$"))


def test_the_stack_page_asks_the_advisor_with_the_stack(page):
    page.goto(f"{page.base_url}/stacks/tf-recsys/")
    page.get_by_role("link", name=re.compile("Ask the advisor")).first.click()
    page.wait_for_url(re.compile(r"/advisor/\?.*framework=tensorflow"))
    assert page.locator("#stack-tf-recsys").is_visible()
    assert page.locator("#stack-tf-recsys svg.diagram-wide").is_visible()


def test_the_graph_draws_with_g6_and_filters(page):
    page.goto(f"{page.base_url}/catalog/graph/")
    page.wait_for_selector("#graph-canvas[data-ready='1'] canvas")
    assert page.locator("#graph-canvas").is_visible()
    total = int(page.locator("#graph-canvas").get_attribute("data-shown-nodes"))
    assert total >= 40
    page.locator("[data-graph-filters] input[name=category]").first.uncheck()
    wait_for_js(
        page,
        f"Number(document.getElementById('graph-canvas').dataset.shownNodes) < {total}"
    )
    edges = int(page.locator("#graph-canvas").get_attribute("data-shown-edges"))
    page.locator("[data-graph-filters] input[name=relation]").first.uncheck()
    wait_for_js(
        page,
        f"Number(document.getElementById('graph-canvas').dataset.shownEdges) < {edges}"
    )


def test_a_click_on_a_graph_node_opens_its_page(page):
    page.goto(f"{page.base_url}/catalog/graph/")
    page.wait_for_selector("#graph-canvas[data-ready='1'] canvas")
    wait_for_js(page, "window.__aliGraph && window.__aliGraph.layoutDone === true")
    x, y = page.evaluate("window.__aliGraph.clientPoint('graphscope')")
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/catalog/graphscope/$"))


def test_the_graph_without_javascript_is_a_list_that_works_by_keyboard(browser,
                                                                     catalog_live_server):
    context, page = open_page(browser, catalog_live_server.url + "/catalog/graph/",
                              java_script_enabled=False)
    try:
        assert not page.locator("#graph-canvas").is_visible()
        assert not page.locator("[data-graph-filters]").is_visible()
        links = page.locator(".graph-relations a")
        assert links.count() > 40
        first = links.first
        href = first.get_attribute("href")
        first.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(re.escape(href) + "$"))
    finally:
        context.close()


def test_the_landscape_filters_apply_at_once(page):
    page.goto(f"{page.base_url}/catalog/landscape/")
    total = page.locator(".tile").count()
    page.locator("#facets input[name=framework][value=pytorch]").check()
    page.wait_for_url(re.compile(r"framework=pytorch"))
    assert 0 < page.locator(".tile").count() < total


def test_compare_selected_is_disabled_below_two(page):
    page.goto(f"{page.base_url}/catalog/")
    button = page.get_by_role("button", name="Compare selected")
    assert button.is_disabled()
    boxes = page.locator("#results input[name=p]")
    boxes.nth(0).check()
    assert button.is_disabled()
    boxes.nth(1).check()
    assert button.is_enabled()
    boxes.nth(1).uncheck()
    assert button.is_disabled()


def test_the_compare_picker_works_by_keyboard(page):
    page.goto(f"{page.base_url}/catalog/compare/?p=easyrec")
    picker = page.locator("#compare-add")
    assert picker.input_value() == ""  # starts on the placeholder
    picker.focus()
    page.keyboard.press("ArrowDown")
    chosen = picker.input_value()
    assert chosen
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"p=easyrec&p={re.escape(chosen)}"))
    assert page.locator("table.compare-table thead th").count() == 2


def test_the_questionnaire_works_by_keyboard(page):
    page.goto(f"{page.base_url}/advisor/")
    page.locator("#id_q").focus()
    page.keyboard.type("graph database for fraud detection")
    page.keyboard.press("Tab")  # leaves the text box
    page.locator(".form-actions button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=graph"))
    page.locator(".stacks .stack").first.wait_for()


def test_the_export_links_keep_the_filters(page):
    page.goto(f"{page.base_url}/catalog/?framework=pytorch")
    link = page.locator("#export-links a", has_text="CSV")
    assert link.get_attribute("href") == "/catalog/export.csv?framework=pytorch"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "aliadvisor-catalog.csv"


# --- Accessibility ---------------------------------------------------------------------------


def axe_violations(browser, url: str, *, locale: str) -> list[dict]:
    # A context of its own that bypasses CSP: only the tests inject axe-core, never the pages.
    context = browser.new_context(locale=locale, bypass_csp=True,
                                  viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url, timeout=30_000)
        page.wait_for_load_state("networkidle")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + n.failureSummary)}));
        }""")
        return [item for item in result if item["impact"] in ("serious", "critical")]
    finally:
        context.close()


@pytest.mark.parametrize("lang", list(LOCALES))
def test_no_serious_accessibility_violation_on_any_page(browser, catalog_live_server, lang):
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("node_modules/axe-core is missing: run `npm ci` (make test does)")
        pytest.skip("axe-core is not installed (npm ci)")
    found = {}
    for name, path in EVERY_PAGE.items():
        violations = axe_violations(browser, catalog_live_server.url + path,
                                    locale=LOCALES[lang])
        if violations:
            found[name] = violations
    assert found == {}, found
