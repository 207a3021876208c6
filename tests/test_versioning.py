"""The catalog version (an append-only change log) and the per-process caches keyed on it."""

from __future__ import annotations

import threading
import time

import pytest

from catalog import versioning
from catalog.models import CatalogChange, Project
from catalog.versioning import (
    VersionedCache,
    bump_catalog_version,
    get_catalog_stamp,
    get_catalog_version,
    prune_catalog_changes,
)


@pytest.mark.django_db
def test_every_change_appends_a_row_and_never_updates_one():
    before = CatalogChange.objects.count()
    first = bump_catalog_version()
    second = bump_catalog_version()
    assert second > first == get_catalog_version() - 1
    assert CatalogChange.objects.count() == before + 2
    assert str(CatalogChange.objects.first()) == f"catalog version {second}"


@pytest.mark.django_db
def test_an_entry_save_moves_the_stamp():
    stamp = get_catalog_stamp()
    project = Project.objects.get(slug="easyrec")
    project.summary_en += " Edited."
    project.save()
    assert get_catalog_stamp() != stamp
    assert get_catalog_version() > stamp[0]


@pytest.mark.django_db
def test_pruning_keeps_the_newest_change_and_the_version():
    bump_catalog_version()
    version = bump_catalog_version()
    deleted = prune_catalog_changes()
    assert deleted >= 1
    assert list(CatalogChange.objects.values_list("id", flat=True)) == [version]
    assert get_catalog_version() == version
    assert bump_catalog_version() > version  # ids are never handed out twice


def test_cache_rebuilds_only_when_the_stamp_moves(monkeypatch):
    current = {"stamp": (1, None)}
    monkeypatch.setattr(versioning, "get_catalog_stamp", lambda: current["stamp"])
    builds: list[int] = []
    cache = VersionedCache(lambda: builds.append(1) or len(builds))
    assert cache.get() == 1
    assert cache.get() == 1
    current["stamp"] = (1, "a later change with a reused id")
    assert cache.get() == 2
    assert cache.get() == 2
    assert len(builds) == 2


def test_concurrent_requests_after_a_change_build_once(monkeypatch):
    current = {"stamp": (7, None)}
    monkeypatch.setattr(versioning, "get_catalog_stamp", lambda: current["stamp"])
    builds: list[int] = []

    def slow_build() -> int:
        time.sleep(0.05)
        builds.append(1)
        return len(builds)

    cache = VersionedCache(slow_build)
    assert cache.get() == 1
    current["stamp"] = (8, None)
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [2] * 8
    assert len(builds) == 2


def test_a_cleared_cache_never_hands_out_none(monkeypatch):
    monkeypatch.setattr(versioning, "get_catalog_stamp", lambda: (1, None))
    cache = VersionedCache(lambda: "index")
    stop = threading.Event()
    seen: list[object] = []

    def reader() -> None:
        while not stop.is_set():
            seen.append(cache.get())

    thread = threading.Thread(target=reader)
    thread.start()
    for _ in range(200):
        cache.clear()
    stop.set()
    thread.join()
    assert seen and all(value == "index" for value in seen)


def test_the_heap_is_released_after_a_response_at_most_once_an_interval(client, monkeypatch):
    released: list[float] = []
    clock = [1000.0]
    monkeypatch.setattr(versioning, "release_free_memory", lambda: released.append(clock[0]))
    monkeypatch.setattr(versioning.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(versioning, "_last_release", clock[0] - versioning.HEAP_RELEASE_INTERVAL)
    client.get("/healthz")  # request_finished: the interval has passed
    assert released == [1000.0]
    clock[0] += versioning.HEAP_RELEASE_INTERVAL / 2
    client.get("/healthz")
    assert released == [1000.0]
    clock[0] += versioning.HEAP_RELEASE_INTERVAL / 2
    client.get("/healthz")
    assert released == [1000.0, 1000.0 + versioning.HEAP_RELEASE_INTERVAL]
