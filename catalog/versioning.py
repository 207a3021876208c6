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
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Generic, TypeVar

from .models import CatalogChange

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
