"""What a server process does before its first request (``aliadvisor.health.prepare_to_serve``,
gunicorn's ``when_ready``): the first request builds nothing, compiles no template."""

from __future__ import annotations

import gc

import pytest
from django.template.loaders.filesystem import Loader as FilesystemLoader

from aliadvisor import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_process(monkeypatch):
    """As in a new process: nothing loaded yet; the collector unfrozen afterwards."""
    monkeypatch.setattr(health, "_loaded", False)
    yield
    gc.unfreeze()


def test_after_prepare_to_serve_pages_read_no_template_file(client, monkeypatch, fresh_process):
    health.prepare_to_serve()
    assert gc.get_freeze_count() > 0
    read: list[str] = []
    original = FilesystemLoader.get_contents

    def get_contents(self, origin):
        read.append(origin.name)
        return original(self, origin)

    monkeypatch.setattr(FilesystemLoader, "get_contents", get_contents)
    for url in ("/catalog/", "/catalog/tugraph-db/", "/advisor/?q=graph+database", "/"):
        assert client.get(url).status_code == 200
    assert read == []


def test_warm_up_loads_the_templates_once_per_process(monkeypatch, fresh_process):
    health.warm_up()
    calls = []
    monkeypatch.setattr(health, "get_template", calls.append, raising=False)
    monkeypatch.setattr("django.template.loader.get_template", calls.append)
    health.warm_up()  # what /readyz calls on every probe: no second pass over the templates
    assert calls == []


def test_a_failing_sample_advice_does_not_stop_the_warm_up(monkeypatch, fresh_process, caplog):
    from advisor.engine.scoring import Engine

    def broken(self, answers, **kwargs):
        raise RuntimeError("broken engine")

    monkeypatch.setattr(Engine, "advise", broken)
    health.warm_up()  # the templates and the URLconf still load; readiness is not held back
    assert health._loaded
    assert "sample advice failed (broken engine)" in caplog.text
    assert health.readiness()[0]


def test_after_warm_up_the_first_list_request_counts_no_facets(client, fresh_process):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    health.warm_up()
    with CaptureQueriesContext(connection) as first:
        assert client.get("/catalog/").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get("/catalog/").status_code == 200
    assert len(first) == len(second)
