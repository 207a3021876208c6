"""Shared fixtures.

The catalog fixture is loaded once into the test database (session scope); every test runs in
a transaction that is rolled back, so tests may change the catalog freely. Browser tests use a
live server with a transactional database: they reload the catalog themselves and run last.
"""

from __future__ import annotations

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "catalog.json"
SHARED = Path(os.environ.get("ALIADVISOR_SHARED_DIR") or ROOT.parent / "shared")
SEED = SHARED / "seeds" / "000_c1a0e85169a509b9.txt"
MANIFEST = SHARED / "catalog-manifest.md"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)  # the shared cache (rate limits)
        if FIXTURE.exists():
            call_command("load_catalog", stdout=StringIO())


@pytest.fixture(autouse=True)
def _no_query_log(settings):
    """Tests do not log the questions they ask (a test turns the log on to test it)."""
    settings.ADVISOR_LOG_QUERIES = False


@pytest.fixture(autouse=True)
def _inline_index_rebuilds(settings):
    """Tests see an edit in the next request (the background rebuild has its own tests), and
    tokens stay in memory (no cache file left behind)."""
    settings.INDEX_BACKGROUND_REBUILD = False
    settings.TEXTINDEX_CACHE_DIR = ""


# --- Catalog data ----------------------------------------------------------------------------
# Imports of the project's code stay inside the fixtures: this module is imported before Django
# is set up.


@pytest.fixture
def small_catalog():
    """The small catalog of tests/helpers.py (counted by hand) instead of the real one."""
    from catalog import search
    from tests.helpers import build_small_catalog

    yield build_small_catalog()
    search.clear_search_index()


@pytest.fixture
def real_catalog():
    """The whole catalog fixture; tests that need it fail (not skip) when it is not loaded."""
    from catalog import search
    from catalog.models import Project

    if not Project.objects.filter(slug="tugraph-db").exists():
        pytest.fail("fixtures/catalog.json is not loaded: the real-catalog tests cannot run")
    search.clear_search_index()
    yield
    search.clear_search_index()


def pytest_collection_modifyitems(config, items):
    """Transactional tests flush the database (the session's catalog with it), so they run
    after all the others, browser tests (which reload the catalog themselves) last."""

    def order(item) -> int:
        if item.get_closest_marker("browser") is not None:
            return 2
        marker = item.get_closest_marker("django_db")
        return 1 if marker is not None and marker.kwargs.get("transaction") else 0

    items.sort(key=order)


# --- Browser tests -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run should have installed it")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM, used by the
    # test itself, is safe here because the live server runs in its own thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def catalog_live_server(live_server, transactional_db):
    """A live server whose database holds the whole catalog, its indexes already built (the
    live server runs in this process: the first page then answers within the timeouts)."""
    from advisor.catalog_source import get_engine
    from catalog.search import get_search_index

    call_command("load_catalog", "--force", stdout=StringIO())
    get_search_index()
    get_engine()
    return live_server


# Every browser context a test opens reports Content-Security-Policy violations (the browser's
# console message and the page's securitypolicyviolation event); any violation fails the test.
# A tool that must inject a script (e.g. axe-core) gets its own context with bypass_csp=True
# rather than a weaker site policy.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
// htmx is configured with allowEval: false; markup that needs eval (an hx-trigger filter,
// hx-on, js: values) would otherwise fail silently.
document.addEventListener("htmx:evalDisallowedError", (event) => {
  console.error(`CSP violation: htmx needed eval for ${event.target && event.target.outerHTML
    ? event.target.outerHTML.slice(0, 120) : "an element"}`);
});
"""


def is_csp_violation(text: str) -> bool:
    return "Content Security Policy" in text or text.startswith("CSP violation")


def watch_csp(context) -> list[str]:
    """Start collecting ``context``'s CSP violations; returns the list they are added to."""
    violations: list[str] = []
    context.add_init_script(CSP_LISTENER)

    def on_console(message) -> None:
        if message.type == "error" and is_csp_violation(message.text):
            where = (message.location or {}).get("url", "")
            violations.append(f"{message.text} [{where}]")

    context.on("console", on_console)
    return violations


def wait_for_js(page, expression: str, *, timeout: float = 10.0) -> None:
    """Wait until ``expression`` is true in the page. Use this, not ``page.wait_for_function``:
    Playwright polls that predicate with eval() inside the page, which the site's CSP
    (script-src 'self') rightly refuses; ``page.evaluate`` runs through the DevTools protocol,
    outside the page's policy."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for: {expression}")
        page.wait_for_timeout(50)


@pytest.fixture
def new_context(browser):
    """``new_context(**options)``: a browser context watched for CSP violations; the test
    fails if any page opened in it had one."""
    opened: list[tuple[object, list[str]]] = []

    def make(**options):
        context = browser.new_context(**options)
        opened.append((context, watch_csp(context)))
        return context

    yield make
    violations = [text for _, found in opened for text in found]
    for context, _ in opened:
        context.close()  # a no-op for contexts the test closed itself
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def page(new_context, catalog_live_server):
    context = new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = catalog_live_server.url
    yield page
