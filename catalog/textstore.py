"""The catalog's texts, tokenised once per catalog version and shared by search and the advisor.

``get_texts()`` returns the ``CatalogTexts`` of the current catalog version (or, while the next
one is being built in the background, of the previous one): the ``DocumentStore`` of every
entry's document parts and the search index assembled from it. The advisor builds its engine
from the same store (``current_texts``), so no text is tokenised twice, and tokens come from
the shared ``TokenCache`` (a file under ``settings.TEXTINDEX_CACHE_DIR``), so a rebuild after
an edit tokenises only the edited parts.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.conf import settings

from textindex.index import TextIndex
from textindex.store import DocumentStore, TokenCache
from textindex.tokenizer import load_dictionary

from .documents import EntryRow, load_entry_rows
from .versioning import BackgroundCache


@dataclass(frozen=True)
class CatalogTexts:
    rows: tuple[EntryRow, ...]  # every entry, by slug (what the advisor's engine reads too)
    store: DocumentStore
    index: TextIndex  # the catalog search's index (synonyms on)


_token_cache: tuple[str, TokenCache] | None = None
_token_lock = threading.Lock()


def token_cache() -> TokenCache:
    """The process's token cache (memory, backed by the shared file when configured)."""
    global _token_cache
    directory = getattr(settings, "TEXTINDEX_CACHE_DIR", "") or ""
    with _token_lock:
        if _token_cache is None or _token_cache[0] != directory:
            _token_cache = (directory, TokenCache(directory or None))
        return _token_cache[1]


def build_texts() -> CatalogTexts:
    """Every entry's document parts (a constant number of queries) and the search index."""
    load_dictionary()  # queries need it, even when every text's tokens are in the cache
    # In Python's order of slugs (the database's collation may differ): the advisor's order,
    # so its index is this one.
    rows = tuple(sorted(load_entry_rows(), key=lambda row: row.slug))
    cache = token_cache()
    store = DocumentStore([(row.slug, row.document_parts()) for row in rows], cache=cache)
    index = store.index(synonyms=True)
    cache.retain(store.texts())
    return CatalogTexts(rows=rows, store=store, index=index)


def background_enabled() -> bool:
    return bool(getattr(settings, "INDEX_BACKGROUND_REBUILD", True))


_cache: BackgroundCache[CatalogTexts] = BackgroundCache(
    build_texts, name="catalog-texts", background=background_enabled
)


def get_texts() -> CatalogTexts:
    """For requests: the current texts, or the previous ones while the next are built."""
    return _cache.get()


def current_texts() -> CatalogTexts:
    """For builders: the texts of the current catalog version (built now if need be)."""
    return _cache.current()


def texts_cache() -> BackgroundCache[CatalogTexts]:
    return _cache


def clear() -> None:
    _cache.clear()
