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
        if FIXTURE.exists():
            call_command("load_catalog", stdout=StringIO())


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
    """Browser tests (transactional, they flush the database) run after all the others."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


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
    """A live server whose database holds the whole catalog."""
    call_command("load_catalog", "--force", stdout=StringIO())
    return live_server


@pytest.fixture
def page(browser, catalog_live_server):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = catalog_live_server.url
    yield page
    context.close()
