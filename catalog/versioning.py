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
        self._version: int | None = None
        self._value: T | None = None

    def get(self) -> T:
        version = get_catalog_version()
        if self._version == version and self._value is not None:
            return self._value
        with self._lock:
            if self._version != version or self._value is None:
                self._value = self._builder()
                self._version = version
            return self._value

    def clear(self) -> None:
        with self._lock:
            self._version = None
            self._value = None
