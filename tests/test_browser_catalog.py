"""The catalog pages in headless Chromium: htmx filtering, Chinese search, detail, compare,
language switch. Uses the full catalog fixture (loaded by the ``page`` fixture's live server)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import wait_for_js

pytestmark = pytest.mark.browser


def result_count(page) -> int:
    text = page.locator("#result-count").inner_text()
    return int(re.search(r"\d+", text).group())


def test_ticking_a_facet_updates_list_and_url_without_a_reload(page):
    page.goto(f"{page.base_url}/catalog/")
    wait_for_js(page, "window.htmx !== undefined")
    total = result_count(page)
    page.evaluate("window.__marker = 1")

    page.locator("input[name=framework][value=pytorch]").check()
    page.wait_for_url(re.compile(r"framework=pytorch"))
    wait_for_js(
        page,
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
    wait_for_js(page, "window.htmx !== undefined")
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
    wait_for_js(page, "document.documentElement.lang === 'zh-hans'")
    assert page.url.endswith("/catalog/tugraph-db/")
    assert "核心功能" in page.locator("main").inner_text()
    assert page.locator(".main-nav").inner_text().split()[0] == "目录"


def collect_console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def wait_for_results(page) -> None:
    wait_for_js(
        page,
        "document.querySelector('#results').getAttribute('aria-busy') === 'false'"
    )


def test_filtering_logs_no_console_error_and_pushes_clean_urls(page):
    errors = collect_console_errors(page)
    page.goto(f"{page.base_url}/catalog/")
    wait_for_js(page, "window.htmx !== undefined")

    page.locator("input[name=framework][value=pytorch]").check()
    page.wait_for_url(re.compile(r"framework=pytorch"))
    wait_for_results(page)
    # Only the chosen filter: no ?q=&sort= from the empty search box and sort menu.
    assert page.url.endswith("/catalog/?framework=pytorch")

    page.locator("#q").fill("graph")
    page.wait_for_url(re.compile(r"q=graph"))
    wait_for_results(page)
    page.locator("#sort").select_option("name")
    page.wait_for_url(re.compile(r"sort=name"))
    wait_for_results(page)
    # Ticking a compare box right after typing: leaving #q must not fire one more refresh
    # (its "change" event), whose answer would replace the results and untick the box.
    page.locator("#results input[name=p]").first.check()
    assert page.locator("#results input[name=p]").first.is_checked()
    page.locator("#q").fill("")
    page.wait_for_url(lambda url: "q=" not in url)
    wait_for_results(page)
    query = page.url.split("?", 1)[1]
    assert all(pair.split("=", 1)[1] for pair in query.split("&")), page.url
    assert "framework=pytorch" in query and "sort=name" in query and "p=" in query
    assert errors == []


def test_facet_count_is_what_ticking_adds(page):
    page.goto(f"{page.base_url}/catalog/?framework=tensorflow")
    wait_for_js(page, "window.htmx !== undefined")
    before = result_count(page)
    shown = page.locator("li.facet-option").filter(
        has=page.locator("input[name=framework][value=pytorch]")
    ).locator(".count").inner_text()
    assert shown.startswith("+")
    page.locator("input[name=framework][value=pytorch]").check()
    page.wait_for_url(re.compile(r"framework=pytorch"))
    wait_for_results(page)
    assert result_count(page) == before + int(shown[1:])


def test_compare_on_a_phone_scrolls_the_table_not_the_page(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/catalog/compare/?p=easyrec&p=torcheasyrec&p=deeprec")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    scroller = page.locator(".table-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")  # scrolls in its box
    # Row headers fit their cell: "Organisation" no longer runs into its value.
    header = page.locator(".compare-table tbody th").filter(has_text="Organisation")
    assert header.evaluate("el => el.scrollWidth <= el.clientWidth")
    page.screenshot(path="/tmp/browser-compare-390.png")


def test_keyboard_skip_link_goes_to_the_results(page):
    page.goto(f"{page.base_url}/catalog/")
    focused = []
    for _ in range(10):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.textContent.trim()"))
        if focused[-1] == "Skip to results":
            break
    # Skip to content, the header links and the language buttons come first.
    assert focused[-1] == "Skip to results", focused
    assert "EN" in focused and "中文" in focused
    skip = page.locator("a.skip-link[href='#results-area']")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["width"] > 1  # visible while focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results-area"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#results-area') !== null")
