"""No rebuild inside a request: stale-while-revalidate indexes and the shared token cache."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from catalog import search, textstore, versioning
from catalog.models import Project
from catalog.versioning import BackgroundCache
from textindex.store import DocumentStore, TokenCache
from textindex.tokenizer import tokenize

# --- BackgroundCache, with a stamp and a builder under the test's control ----------------------


@pytest.fixture
def stamp(monkeypatch):
    current = {"stamp": (1, None)}
    monkeypatch.setattr(versioning, "get_catalog_stamp", lambda: current["stamp"])
    return current


def gated_builder():
    """A builder that blocks on ``gate`` from its second build on; returns its build count."""
    gate = threading.Event()
    builds: list[int] = []

    def build() -> int:
        if builds:
            started.set()
            assert gate.wait(10), "the test never opened the gate"
        builds.append(1)
        return len(builds)

    started = threading.Event()  # a build past the first has begun
    return build, gate, builds, started


def test_a_request_after_a_change_is_served_by_the_old_value_without_waiting(stamp):
    build, gate, builds, _started = gated_builder()
    cache = BackgroundCache(build, name="test", background=lambda: True)
    assert cache.get() == 1
    stamp["stamp"] = (2, None)
    assert cache.get() == 1  # the builder is blocked: get did not wait for it
    assert not cache.idle.is_set()
    gate.set()
    assert cache.idle.wait(10)
    assert cache.get() == 2
    assert cache.stamp == (2, None)


def test_changes_during_a_build_coalesce_into_one_more_build(stamp):
    build, gate, builds, started = gated_builder()
    cache = BackgroundCache(build, name="test", background=lambda: True)
    cache.get()
    stamp["stamp"] = (2, None)
    cache.get()  # starts a build, which blocks
    assert started.wait(10)
    for version in (3, 4, 5):
        stamp["stamp"] = (version, None)
        assert cache.get() == 1
    gate.set()
    assert cache.idle.wait(10)
    assert cache.get() == 3  # the first rebuild, then one for versions 3-5 together
    assert len(builds) == 3
    assert cache.stamp == (5, None)


def test_without_background_a_change_is_rebuilt_inline(stamp):
    cache = BackgroundCache(lambda: object(), name="test", background=lambda: False)
    first = cache.get()
    stamp["stamp"] = (2, None)
    assert cache.get() is not first


def test_a_failed_rebuild_keeps_the_previous_value(stamp):
    calls: list[int] = []

    def build() -> str:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database gone")
        return f"v{len(calls)}"

    cache = BackgroundCache(build, name="test", background=lambda: True)
    assert cache.get() == "v1"
    stamp["stamp"] = (2, None)
    assert cache.get() == "v1"
    assert cache.idle.wait(10)
    assert cache.get() in {"v1", "v3"}  # served, never raised; the next request retries
    assert cache.idle.wait(10)
    assert cache.get() == "v3"


# --- The catalog's index and the advisor's engine, rebuilt in the background ----------------


@pytest.mark.django_db(transaction=True)
def test_an_edit_is_served_by_the_new_index_after_the_background_build(settings, small_catalog):
    from advisor.catalog_source import engine_cache, get_engine
    from advisor.engine.types import Answers

    settings.INDEX_BACKGROUND_REBUILD = True
    search.clear_search_index()
    engine_cache().clear()
    assert search.relevance(query="zyxwvut") == {}
    old_engine = get_engine()
    project = Project.objects.order_by("slug").first()
    project.summary_en = "Now with zyxwvut support"
    project.save()

    # The next requests do not wait: they are served by the previous index and engine.
    assert search.relevance(query="zyxwvut") == {}
    assert get_engine() is old_engine

    assert textstore.texts_cache().idle.wait(30)
    assert engine_cache().idle.wait(30)
    assert list(search.relevance(query="zyxwvut")) == [project.slug]
    engine = get_engine()
    assert engine is not old_engine
    assert engine.advise(Answers(text="zyxwvut")).projects[0].slug == project.slug
    search.clear_search_index()
    engine_cache().clear()


@pytest.mark.django_db
def test_search_and_advisor_share_one_document_store(real_catalog):
    from advisor.catalog_source import build_engine, load_entries, load_stacks
    from advisor.engine.scoring import Engine, stack_document_parts
    from textindex.store import text_key

    texts = textstore.get_texts()
    cache = textstore.token_cache()
    misses = cache.misses
    build_engine()
    # The entries' texts are the store's parts: only the stacks' own texts and the entries'
    # names on their own (the ranker's name field) are new.
    entries = {entry.slug: entry for entry in load_entries()}
    own_texts = {
        text_key(part) for stack in load_stacks() for part in stack_document_parts(stack, entries)
    } | {text_key(part) for entry in entries.values() for part in Engine.name_parts(entry)}
    assert cache.misses - misses <= len(own_texts - texts.store.text_keys())
    misses = cache.misses
    build_engine()
    assert cache.misses == misses  # the second build tokenises nothing
    assert search.get_search_index() is texts.index


# --- Token cache ------------------------------------------------------------------------------


def test_store_tokens_equal_tokenising_the_joined_text():
    parts = ["GraphScope 图计算 graph", "推荐系统 recommendation CTR", "", "知识图谱\nknowledge"]
    store = DocumentStore([("a", parts)], cache=TokenCache())
    assert sorted(store.tokens(parts)) == sorted(tokenize("\n".join(p for p in parts if p)))


def test_a_rebuild_after_one_edit_tokenises_only_the_edited_text(tmp_path):
    documents = [(f"e{i}", [f"entry {i} 图数据库", f"summary {i} advice"]) for i in range(50)]
    cache = TokenCache(tmp_path)
    DocumentStore(documents, cache=cache).index()
    assert cache.misses == 100
    cache.retain(())  # a version built: texts' tokens leave memory, documents stay
    hits = cache.hits
    documents[7] = ("e7", ["entry 7 图数据库", "summary 7 now about 联邦学习"])
    DocumentStore(documents, cache=cache).index()
    assert cache.misses == 101
    assert cache.hits == hits + 1  # the edited document's other text, read from the file

    # Another process (a fresh cache on the same folder) finds every text in the file.
    other = TokenCache(tmp_path)
    DocumentStore(documents, cache=other).index()
    assert other.misses == 0 and other.hits == 100


def test_an_unusable_cache_folder_falls_back_to_memory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = TokenCache(blocker / "sub")
    assert cache.path is None
    store = DocumentStore([("a", ["图数据库"])], cache=cache)
    assert store.index().keys == ("a",)


# --- Warm at start ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["manage.py", "runserver"], {"RUN_MAIN": "true"}, True),
        (["manage.py", "runserver"], {}, False),  # the autoreloader's parent
        (["manage.py", "runserver", "--noreload"], {}, True),
        (["/venv/bin/gunicorn", "aliadvisor.wsgi"], {}, True),
        (["/venv/bin/pytest", "-q"], {}, False),
        (["manage.py", "migrate"], {}, False),
        (["manage.py", "generate_synthetic_catalog", "10"], {}, False),
    ],
)
def test_only_server_processes_warm_the_indexes_at_start(argv, environ, expected):
    from advisor.apps import serving

    assert serving(argv, environ) is expected


def test_ready_warms_the_engine_in_a_server(monkeypatch, settings):
    from django.apps import apps

    from advisor import apps as advisor_apps
    from advisor import catalog_source

    warmed: list[bool] = []
    monkeypatch.setattr(catalog_source.engine_cache(), "warm", lambda: warmed.append(True))
    monkeypatch.setattr(advisor_apps, "serving", lambda: True)
    settings.INDEX_WARM_AT_START = True
    apps.get_app_config("advisor").ready()
    assert warmed == [True]
    settings.INDEX_WARM_AT_START = False
    apps.get_app_config("advisor").ready()
    assert warmed == [True]


def test_a_token_file_deleted_while_serving_is_made_again(tmp_path):
    cache = TokenCache(tmp_path)
    cache.analyse_many(["图数据库 graph"])
    for suffix in ("", "-wal", "-shm"):
        Path(f"{cache.path}{suffix}").unlink(missing_ok=True)
    cache.analyse_many(["联邦学习 federated"])  # tokenised, written to a new file
    other = TokenCache(tmp_path)
    other.analyse_many(["联邦学习 federated"])
    assert other.misses == 0 and other.hits == 1


def test_tokens_the_file_cannot_take_stay_in_memory(tmp_path, monkeypatch):
    cache = TokenCache(tmp_path)
    monkeypatch.setattr(cache, "_write", lambda made: False)  # a full disk, a lock timeout
    cache.analyse_many(["图数据库 graph"])
    misses = cache.misses
    cache.analyse_many(["图数据库 graph"])
    assert cache.misses == misses  # not tokenised again
