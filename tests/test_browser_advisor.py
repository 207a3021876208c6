"""The advisor in headless Chromium: htmx updates, permalinks, detail pages, the record."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

TEXT = "e-commerce recommendation with billions of samples"


def test_questionnaire_updates_in_place_and_exports_a_record(page):
    from playwright.sync_api import expect

    page.goto(page.base_url + "/advisor/")
    expect(page.get_by_role("heading", name="Start with what you know")).to_be_visible()
    page.evaluate("window.__sameDocument = true")

    page.select_option("#id_scenario", "recommendation")
    page.select_option("#id_framework", "tensorflow")
    page.fill("#id_q", TEXT)

    # htmx swaps the results in and pushes a shareable URL; the document is never reloaded.
    page.wait_for_url(re.compile(r"q=e-commerce(\+|%20)recommendation"))
    expect(page.locator("#stacks-title")).to_have_text("Recommended stacks")
    expect(page.locator("#advisor-results .stack").first).to_be_visible()
    expect(page.locator("#stack-tf-recsys")).to_be_visible()
    expect(page.locator("#advisor-results .project .reason").first).to_be_visible()
    expect(page.locator("#advisor-results .member").first).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True
    assert "scenario=recommendation" in page.url and "framework=tensorflow" in page.url

    # The decision record downloads with the same answers.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export decision record (Markdown)").click()
    download = download_info.value
    assert download.suggested_filename == "aliadvisor-decision-record.md"
    record = Path(download.path()).read_text(encoding="utf-8")
    assert record.startswith("# AliAdvisor decision record")
    assert "**Scenario:** Recommendation" in record
    assert "**Framework:** TensorFlow" in record
    assert TEXT in record
    assert "### Recommended stack:" in record and "### Top projects" in record

    # A result leads to its catalog page.
    first = page.locator("#advisor-results .project h3 a").first
    href = first.get_attribute("href")
    assert href and re.fullmatch(r"/catalog/[a-z0-9-]+/", href)
    first.click()
    page.wait_for_url(page.base_url + href)
    expect(page.locator("h1")).to_be_visible()

    # Back to the permalink: the answers and the advice are restored.
    page.go_back()
    page.wait_for_url(re.compile(r"/advisor/\?"))
    expect(page.locator("#id_scenario")).to_have_value("recommendation")
    expect(page.locator("#stack-tf-recsys")).to_be_visible()


def test_questionnaire_works_without_javascript(browser, catalog_live_server):
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(catalog_live_server.url + "/advisor/")
        page.select_option("#id_scenario", "risk-control")
        page.check("input[name=data_type][value=graph]")
        page.get_by_role("button", name="Get advice").click()
        page.wait_for_url(re.compile(r"scenario=risk-control"))
        expect(page.locator("#advisor-results .project").first).to_be_visible()
        expect(page.locator("#id_scenario")).to_have_value("risk-control")
    finally:
        context.close()


def test_follow_up_link_points_at_its_field(page):
    from playwright.sync_api import expect

    page.goto(page.base_url + "/advisor/?q=a+fast+tool")
    link = page.get_by_role("link", name="Answer this question")
    expect(link).to_be_visible()
    target = link.get_attribute("href")
    assert target and target.startswith("#field-")
    link.click()
    expect(page.locator(target)).to_be_in_viewport()


def test_chinese_page_names_members_in_chinese_and_compares_close_results(
    browser, catalog_live_server
):
    from urllib.parse import parse_qs, urlsplit

    from playwright.sync_api import expect

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(catalog_live_server.url + "/advisor/?q=图神经网络训练&data_type=graph&limit=50")
        members = page.locator("#advisor-results .member-name")
        expect(members.first).to_be_visible()
        names = members.all_inner_texts()
        assert "Graph-Learn（原 AliGraph）" in names
        assert "Graph-Learn (formerly AliGraph)" not in names
        compare = page.locator("#advisor-results a[href^='/catalog/compare/']")
        if compare.count():
            slugs = parse_qs(urlsplit(compare.get_attribute("href")).query)["p"]
            assert 2 <= len(slugs) <= 3
            expect(compare).to_contain_text(f"({len(slugs)})")
    finally:
        context.close()
