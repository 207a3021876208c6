"""The catalog version: the id of the newest ``CatalogChange`` row.

Every change to catalog content appends a row (``signals``). Per-process caches (the search
index, the advisor's engine) remember the stamp they were built from and rebuild when the
database says the catalog moved on: one indexed read per request, and it works across any
number of server processes.

Appending, rather than incrementing one counter row, matters: a counter row is locked by every
writer until its transaction commits, so an editor's save and an import that touch the same
entries in opposite orders could deadlock on it.
"""

from __future__ import annotations

import contextvars
import ctypes
import gc
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Generic, TypeVar

from .models import CatalogChange

logger = logging.getLogger(__name__)

T = TypeVar("T")

Stamp = tuple[int, datetime | None]


def get_catalog_stamp() -> Stamp:
    """The newest change's id and time, in one query ((0, None) before any change).

    Caches compare both: after a rolled-back transaction (tests do this) SQLite can hand out
    the same id again, for other content, but not at the same time.
    """
    row = CatalogChange.objects.order_by("-id").values_list("id", "changed").first()
    return row or (0, None)


def get_catalog_version() -> int:
    return get_catalog_stamp()[0]


_suspended: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "catalog_versioning_suspended", default=False
)


def bump_catalog_version() -> int:
    """Record a change to the catalog; returns the new version (the current one, unchanged,
    inside ``versioning_suspended``)."""
    if _suspended.get():
        return get_catalog_version()
    return CatalogChange.objects.create().pk


@contextmanager
def versioning_suspended() -> Iterator[None]:
    """Saves inside this block append no change rows: for bulk loads, which record the
    change once themselves (or, restoring a backup, restore the change log as it was)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def prune_catalog_changes() -> int:
    """Delete every change row but the newest (the version is all that is read).

    Called from maintenance commands (``load_catalog``), not on every change, so concurrent
    writers never contend for old rows. Returns the number of rows deleted.
    """
    newest = get_catalog_version()
    deleted, _ = CatalogChange.objects.filter(id__lt=newest).delete()
    return deleted


_collection_lock = threading.Lock()
_collection_pauses = 0
_collection_was_enabled = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """Cyclic garbage collection paused while an index is built: a build allocates millions of
    small objects, and each full collection walks the whole heap (half of a 10,000-entry
    rebuild's time). Reference counting still frees memory meanwhile. Nested and concurrent
    pauses end with the last one."""
    global _collection_pauses, _collection_was_enabled
    with _collection_lock:
        if _collection_pauses == 0:
            _collection_was_enabled = gc.isenabled()
            gc.disable()
        _collection_pauses += 1
    try:
        yield
    finally:
        with _collection_lock:
            _collection_pauses -= 1
            if _collection_pauses == 0 and _collection_was_enabled:
                gc.enable()


def settle_heap() -> None:
    """After a build, once the previous value is dropped: what is alive now (the new indexes,
    mostly) is moved out of the collector's sight (``gc.freeze``), so the full collections
    that a few dozen requests' survivors trigger walk only young objects, not every index
    again (0.4 s each at 10,000 entries, every 20 or so advice requests). Builds leave no
    reference cycles (a dropped version is freed by reference counting; tested); the garbage
    cycles made meanwhile (the ORM's, while the collector was paused) are collected first: all
    of it is young, so the collection walks what the build made, not the whole heap. Then free
    C heap pages go back to the system."""
    with _collection_lock:
        if _collection_pauses == 0 and gc.isenabled():
            gc.collect(0)
            gc.freeze()
    release_free_memory()


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


_trim = _malloc_trim()


def release_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc keeps what a build freed, and a
    process's resident size would stay at its peak)."""
    if _trim is not None:
        _trim(0)


# Requests free what they allocated, but glibc keeps the holes they leave in the heap (15 MB
# after a few pages of a 10,000-entry catalog): after a response, at most this often, they go
# back to the system too (0.3-3 ms once the response is sent: under 0.2 % of a busy worker).
HEAP_RELEASE_INTERVAL = 2.0  # seconds
_last_release = time.monotonic()
_release_lock = threading.Lock()


def release_free_memory_now_and_then(**_kwargs) -> bool:
    """``request_finished``'s receiver: ``release_free_memory`` when the last release is
    ``HEAP_RELEASE_INTERVAL`` old (True when it ran)."""
    global _last_release
    now = time.monotonic()
    with _release_lock:
        if now - _last_release < HEAP_RELEASE_INTERVAL:
            return False
        _last_release = now
    release_free_memory()
    return True


class VersionedCache(Generic[T]):
    """Holds one value built from the catalog; rebuilds it when the catalog stamp changes.

    Thread-safe: the stamp and the value are published together as one tuple, and the stamp
    is read again under the lock, so a value is never labelled with an older stamp than the
    data it was built from, and concurrent requests after a change build it once.
    """

    def __init__(self, builder: Callable[[], T]) -> None:
        self._builder = builder
        self._lock = threading.Lock()
        self._entry: tuple[Stamp, T] | None = None

    def get(self) -> T:
        entry = self._entry
        stamp = get_catalog_stamp()
        if entry is not None and entry[0] == stamp:
            return entry[1]
        with self._lock:
            entry = self._entry
            stamp = get_catalog_stamp()
            if entry is not None and entry[0] == stamp:
                return entry[1]
            value = self._builder()
            self._entry = (stamp, value)
            return value

    def clear(self) -> None:
        with self._lock:
            self._entry = None


class BackgroundCache(VersionedCache[T]):
    """A ``VersionedCache`` that never makes a request wait for a rebuild (stale-while-revalidate).

    The first value is built by the first caller (or by ``warm`` at start). After that, when
    the catalog stamp moves, ``get`` hands out the value it has and starts one background
    thread (one per cache and process) that builds the next; changes that arrive during a
    build coalesce into one more build when it ends. ``background()`` False (tests, scripts)
    makes ``get`` rebuild inline, like ``VersionedCache``.
    """

    def __init__(self, builder: Callable[[], T], *, name: str, background: Callable[[], bool]):
        super().__init__(builder)
        self.name = name
        self._background = background
        self._reset_state()
        _BACKGROUND_CACHES.add(self)

    def _reset_state(self) -> None:
        self._state = threading.Lock()
        self._thread: threading.Thread | None = None
        self._wanted = False
        self.idle = threading.Event()  # set while no rebuild is running
        self.idle.set()
        self.builds = 0
        self.last_build_seconds: float | None = None

    def get(self) -> T:
        entry, fresh = self._lookup()
        return fresh if fresh is not None else entry[1]

    def _lookup(self) -> tuple[tuple[Stamp, T] | None, T | None]:
        """(the entry held, the current version's value or None while it is rebuilt)."""
        entry = self._entry
        stamp = get_catalog_stamp()
        if entry is not None and entry[0] == stamp:
            return entry, entry[1]
        if entry is None or not self._background():
            return entry, self.current()
        self.refresh()
        return entry, None

    def current(self) -> T:
        """The value for the current stamp, built now if need be (blocks)."""
        entry = self._entry
        stamp = get_catalog_stamp()
        if entry is not None and entry[0] == stamp:
            return entry[1]
        with self._lock:
            entry = self._entry
            stamp = get_catalog_stamp()
            if entry is not None and entry[0] == stamp:
                return entry[1]
            started = time.perf_counter()
            with collection_paused():
                value = self._builder()
            self.last_build_seconds = time.perf_counter() - started
            self.builds += 1
            self._entry = (stamp, value)
            del entry  # the previous value
            settle_heap()
            logger.info(
                "Built %s for catalog version %s in %.2f s", self.name, stamp[0],
                self.last_build_seconds,
            )
            return value

    @property
    def stamp(self) -> Stamp | None:
        entry = self._entry
        return entry[0] if entry is not None else None

    def refresh(self) -> None:
        """Build the value for the current stamp in the background (one thread at a time)."""
        with self._state:
            self._wanted = True
            if self._thread is not None:
                return  # the running thread builds once more when it is done
            self.idle.clear()
            self._thread = threading.Thread(
                target=self._run, name=f"rebuild-{self.name}", daemon=True
            )
            self._thread.start()

    warm = refresh

    def _run(self) -> None:
        from django.db import connections

        try:
            while True:
                with self._state:
                    if not self._wanted:
                        self._thread = None
                        self.idle.set()
                        return
                    self._wanted = False
                try:
                    self.current()
                except Exception:
                    logger.exception("Rebuilding %s failed; the previous value stays", self.name)
                    with self._state:
                        self._wanted = False
        finally:
            connections.close_all()
            with self._state:
                if self._thread is threading.current_thread():  # left by an error
                    self._thread = None
                    self.idle.set()


_BACKGROUND_CACHES: weakref.WeakSet[BackgroundCache] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    # A forked worker (gunicorn) inherits the values but not the threads or their locks.
    for cache in list(_BACKGROUND_CACHES):
        cache._lock = threading.Lock()
        entry = cache._entry
        cache._reset_state()
        cache._entry = entry


os.register_at_fork(after_in_child=_after_fork_in_child)
