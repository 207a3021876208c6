"""Feedback on advice in headless Chromium: the htmx buttons, the plain form, and which
requests the query log records."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

QUESTION = "e-commerce recommendation CTR with TensorFlow"


@pytest.fixture(autouse=True)
def warm_engine(catalog_live_server):
    """Build the engine for the loaded catalog before the first page asks for advice."""
    from advisor.catalog_source import get_engine

    get_engine()


def test_feedback_buttons_record_in_place(page):
    from playwright.sync_api import expect

    from advisor.models import Feedback

    page.goto(page.base_url + "/advisor/?q=" + QUESTION.replace(" ", "+"))
    page.evaluate("window.__sameDocument = true")
    box = page.locator("#advisor-feedback")
    expect(box.get_by_role("heading", name="Was this advice helpful?")).to_be_visible()
    box.get_by_label("Which entry did you expect? (optional)").select_option("torcheasyrec")
    box.get_by_label("Comment (optional)").fill("We are moving to PyTorch")
    box.get_by_role("button", name="Not helpful").click()
    expect(box.get_by_role("heading", name="Thank you")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True  # swapped in, no reload
    record = Feedback.objects.get()
    assert (record.helpful, record.expected.slug, record.source) == (False, "torcheasyrec", "page")
    assert record.comment == "We are moving to PyTorch"
    assert record.query["q"] == QUESTION


def test_feedback_works_without_javascript(browser, catalog_live_server):
    from playwright.sync_api import expect

    from advisor.models import Feedback

    context = browser.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(catalog_live_server.url + "/advisor/?q=" + QUESTION.replace(" ", "+"))
        page.locator("#advisor-feedback").get_by_role("button", name="Helpful", exact=True).click()
        page.wait_for_url(re.compile(r"/advisor/feedback/$"))
        expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
        page.get_by_role("link", name="Back to the advice").click()
        page.wait_for_url(re.compile(r"/advisor/\?q="))
        assert Feedback.objects.get().helpful is True
    finally:
        context.close()


def test_only_a_submitted_questionnaire_is_logged(page, settings):
    from playwright.sync_api import expect

    from advisor.models import QueryRecord

    settings.ADVISOR_LOG_QUERIES = True
    page.goto(page.base_url + "/advisor/")
    page.fill("#id_q", "graph database for fraud detection")
    page.wait_for_url(re.compile(r"q=graph"))  # the live update while typing came back
    expect(page.locator("#advisor-results .project").first).to_be_visible()
    assert not QueryRecord.objects.exists()
    with page.expect_response(re.compile(r"/advisor/\?")):
        page.get_by_role("button", name="Get advice").click()
    expect(page.locator("#advisor-results .project").first).to_be_visible()
    record = QueryRecord.objects.get()
    assert record.text == "graph database for fraud detection" and record.source == "page"


def test_no_fit_shows_the_nearest_apart_from_advice(page):
    from playwright.sync_api import expect

    page.goto(page.base_url + "/advisor/?q=an+email+newsletter+service")
    heading = page.get_by_role("heading", name="Nothing in the catalog fits this need")
    expect(heading).to_be_visible()
    expect(page.get_by_role("heading", name="Nearest entries (not recommended)")).to_be_visible()
    expect(page.locator(".project--nearest").first).to_be_visible()
    expect(page.locator("#projects-title")).to_have_count(0)
    expect(page.locator(".badge-best")).to_have_count(0)
