"""The catalog version: a counter in the database that every catalog change increments.

Per-process caches (the search index, the advisor's index) remember the version they were
built from and rebuild when the database says the catalog moved on. One indexed primary-key
read per request is the whole cost, and it works across any number of server processes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import CatalogState

T = TypeVar("T")


def get_catalog_version() -> int:
    state = CatalogState.objects.filter(pk=1).values_list("version", flat=True).first()
    return state or 0


def get_catalog_stamp() -> tuple[int, object]:
    """The version and the time of the last change, read in one query.

    Caches compare both: a version number alone can come back with other content when a
    transaction that bumped it is rolled back and another one bumps it again (tests do this).
    """
    row = CatalogState.objects.filter(pk=1).values_list("version", "changed").first()
    return row or (0, None)


def bump_catalog_version() -> None:
    """Increment the version, creating the row on first use."""
    updated = CatalogState.objects.filter(pk=1).update(
        version=F("version") + 1, changed=timezone.now()
    )
    if not updated:
        with transaction.atomic():
            state, created = CatalogState.objects.select_for_update().get_or_create(
                pk=1, defaults={"version": 1}
            )
            if not created:
                CatalogState.objects.filter(pk=1).update(
                    version=F("version") + 1, changed=timezone.now()
                )


class VersionedCache(Generic[T]):
    """Holds one value built from the catalog; rebuilds it when the catalog version changes."""

    def __init__(self, builder: Callable[[], T]) -> None:
        self._builder = builder
        self._lock = threading.Lock()
        self._stamp: tuple[int, object] | None = None
        self._value: T | None = None

    def get(self) -> T:
        stamp = get_catalog_stamp()
        if self._stamp == stamp and self._value is not None:
            return self._value
        with self._lock:
            if self._stamp != stamp or self._value is None:
                self._value = self._builder()
                self._stamp = stamp
            return self._value

    def clear(self) -> None:
        with self._lock:
            self._stamp = None
            self._value = None
