"""Every page under the site's Content-Security-Policy, in headless Chromium: a crawl from the
home page (and from the admin's index, logged in) opens one page per URL pattern, so pages
added later are covered as soon as something links to them. The ``new_context`` fixture fails
the test on any violation."""

from __future__ import annotations

from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.conftest import wait_for_js

pytestmark = pytest.mark.browser

MAX_PAGES = 80


def pattern_of(path: str, query: str) -> tuple[str, bool] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return (match.route, bool(query))


def crawl(page, start: str, *, allowed_prefix: str = "/", skip: tuple[str, ...] = ()) -> list[str]:
    """Open ``start`` and, breadth first, one page per (URL pattern, with/without query) that
    the pages link to on this site; returns the paths opened."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.base_url))
    queue, seen, opened = deque([start]), set(), []
    while queue and len(opened) < MAX_PAGES:
        url = queue.popleft()
        parts = urlsplit(url)
        key = pattern_of(parts.path, parts.query)
        if key is None or key in seen:
            continue
        seen.add(key)
        response = page.goto(origin + parts.path + (f"?{parts.query}" if parts.query else ""))
        assert response is not None and response.status < 500, url
        page.wait_for_load_state("load")
        opened.append(url)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = urlsplit(urljoin(page.url, href))
            if f"{target.scheme}://{target.netloc}" != origin:
                continue
            if not target.path.startswith(allowed_prefix) or target.path.startswith(skip):
                continue
            # Downloads and feeds are not pages (a browser saves them instead of opening them).
            if target.path.endswith(
                (".md", ".json", ".svg", ".png", ".js", ".css", ".csv", ".atom", ".txt")
            ):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return opened


def test_public_pages_have_no_csp_violation(page):
    opened = crawl(page, "/", skip=("/admin/", "/static/"))
    routes = {pattern_of(*urlsplit(url)[2:4])[0] for url in opened}
    # The crawl reached the pages people use (and any new page they link to).
    assert {"", "catalog/", "catalog/<slug:slug>/", "advisor/"} <= routes, opened
    # htmx at work, under the same policy: a facet ticked, a search typed, advice asked.
    page.goto(page.base_url + "/catalog/")
    wait_for_js(page, "window.htmx !== undefined")
    page.locator("input[name=framework][value=pytorch]").check()
    page.wait_for_url("**framework=pytorch")
    page.goto(page.base_url + "/advisor/")
    page.fill("#id_q", "graph neural network training")
    page.wait_for_url("**q=graph*")
    page.locator("#advisor-results .project").first.wait_for()
    page.goto(page.base_url + "/catalog/no-such-entry/")  # the 404 page
    page.goto(page.base_url + "/api/docs")  # the API's documentation (Swagger UI)
    page.locator(".swagger-ui .opblock").first.wait_for()


def test_admin_pages_have_no_csp_violation(page, django_user_model):
    django_user_model.objects.create_superuser("csp-editor", "csp@example.com", "a-long-pass-42")
    page.goto(page.base_url + "/admin/login/?next=/admin/")
    page.fill("#id_username", "csp-editor")
    page.fill("#id_password", "a-long-pass-42")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    opened = crawl(page, "/admin/", allowed_prefix="/admin/", skip=("/admin/logout/",))
    kinds = {pattern_of(*urlsplit(url)[2:4])[0] for url in opened}
    assert any(kind.endswith("/change/") for kind in kinds), opened
    assert any(kind.endswith("/history/") for kind in kinds), opened
    assert any(kind.endswith("/add/") for kind in kinds), opened


def test_the_lockout_page_has_no_csp_violation(page, django_user_model):
    django_user_model.objects.create_user("locked", password="the-right-one-9", is_staff=True)
    for attempt in range(5):
        page.goto(page.base_url + "/admin/login/")
        page.fill("#id_username", "locked")
        page.fill("#id_password", f"wrong-{attempt}")
        page.locator("input[type=submit]").click()
    assert "Too many failed logins" in page.locator("h1").inner_text()
    page.screenshot(path="/tmp/browser-lockout.png")


def test_a_violation_is_caught(browser, catalog_live_server):
    """The guard itself: an inline style injected into a page is reported."""
    from tests.conftest import watch_csp

    context = browser.new_context()
    try:
        violations = watch_csp(context)
        page = context.new_page()
        page.goto(catalog_live_server.url + "/")
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')"
        )
        page.wait_for_timeout(300)
        assert violations and any("style-src" in text for text in violations), violations
        # htmx markup that needs eval (an hx-trigger filter) is reported too.
        violations.clear()
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', "
            "'<button id=\"filtered\" hx-get=\"/\" hx-trigger=\"click[1 == 1]\">x</button>');"
            "htmx.process(document.getElementById('filtered'))"
        )
        page.locator("#filtered").click()
        page.wait_for_timeout(300)
        assert any("htmx needed eval" in text for text in violations), violations
    finally:
        context.close()
