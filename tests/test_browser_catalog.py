"""The catalog pages in headless Chromium: htmx filtering, Chinese search, detail, compare,
language switch. Uses the full catalog fixture (loaded by the ``page`` fixture's live server)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def result_count(page) -> int:
    text = page.locator("#result-count").inner_text()
    return int(re.search(r"\d+", text).group())


def test_ticking_a_facet_updates_list_and_url_without_a_reload(page):
    page.goto(f"{page.base_url}/catalog/")
    page.wait_for_function("window.htmx !== undefined")
    total = result_count(page)
    page.evaluate("window.__marker = 1")

    page.locator("input[name=framework][value=pytorch]").check()
    page.wait_for_url(re.compile(r"framework=pytorch"))
    page.wait_for_function(
        "document.querySelector('#results').getAttribute('aria-busy') === 'false'"
    )

    filtered = result_count(page)
    assert 0 < filtered < total
    assert page.evaluate("window.__marker") == 1  # same document: no full reload
    # The facets were refreshed with the results: the ticked box is still ticked and every
    # card shows PyTorch among its frameworks.
    assert page.locator("input[name=framework][value=pytorch]").is_checked()
    cards = page.locator("#results .result-card")
    assert cards.count() == min(filtered, 12)
    for index in range(cards.count()):
        assert "PyTorch" in cards.nth(index).inner_text()


def test_searching_in_chinese_finds_tugraph(page):
    page.goto(f"{page.base_url}/catalog/")
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.__marker = 1")
    page.locator("#q").fill("图数据库")
    page.wait_for_url(re.compile(r"q=%E5%9B%BE"))
    titles = page.locator("#results .result-title a")
    titles.filter(has_text="TuGraph DB").first.wait_for()
    assert page.evaluate("window.__marker") == 1


def test_opening_a_detail_page_from_a_result(page):
    page.goto(f"{page.base_url}/catalog/?q=TuGraph")
    link = page.locator("#results .result-title a").filter(has_text="TuGraph DB").first
    link.click()
    page.wait_for_url(re.compile(r"/catalog/tugraph-db/$"))
    assert "TuGraph DB" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name=re.compile("Ask the advisor")).is_visible()


def test_ticking_three_entries_and_comparing_them(page):
    page.goto(f"{page.base_url}/catalog/")
    boxes = page.locator("#results input[name=p]")
    slugs = []
    for index in range(3):
        box = boxes.nth(index)
        box.check()
        slugs.append(box.get_attribute("value"))
    page.get_by_role("button", name="Compare selected").click()
    page.wait_for_url(re.compile(r"/catalog/compare/\?p="))
    assert all(f"p={slug}" in page.url for slug in slugs)
    assert page.locator("table.compare-table thead th").count() == 3


def test_switching_the_language_changes_text_and_html_lang(page):
    page.goto(f"{page.base_url}/catalog/tugraph-db/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Catalog", exact=True).first.is_visible()
    page.locator(".lang-switch button[value=zh-hans]").click()
    page.wait_for_function("document.documentElement.lang === 'zh-hans'")
    assert page.url.endswith("/catalog/tugraph-db/")
    assert "核心功能" in page.locator("main").inner_text()
    assert page.locator(".main-nav").inner_text().split()[0] == "目录"
