"""Full-text search over the catalog: one bilingual TF-IDF index per process.

The index (``advisor.engine.text.TextIndex``: jieba + English words + bilingual synonym
concepts) is built from every entry's ``project_document_text`` and kept in a
``VersionedCache``: it is built on first use and rebuilt when the catalog version in the
database moves on (any admin edit), so an edit is searchable on the next request in every
server process.
"""

from __future__ import annotations

import re

from advisor.engine.text import TextIndex

from .documents import project_document_text
from .models import Project
from .versioning import VersionedCache

MAX_QUERY_LENGTH = 200

_WHITESPACE_RE = re.compile(r"\s+")


def normalize_query(query: str | None) -> str:
    """Collapse runs of whitespace (incl. newlines, full-width spaces) and trim."""
    if not query:
        return ""
    return _WHITESPACE_RE.sub(" ", query).strip()


def build_search_index() -> TextIndex:
    """An index over every entry of the catalog, keyed by slug (a few queries, once)."""
    projects = Project.objects.with_facets().order_by("slug")
    return TextIndex([(project.slug, project_document_text(project)) for project in projects])


_index_cache: VersionedCache[TextIndex] = VersionedCache(build_search_index)


def get_search_index() -> TextIndex:
    """The current index; costs one primary-key read when the catalog has not changed."""
    return _index_cache.get()


def clear_search_index() -> None:
    """Forget the built index (tests that rebuild the catalog from scratch call this)."""
    _index_cache.clear()


def relevance(*, query: str) -> dict[str, float]:
    """Slug -> relevance score (cosine similarity, > 0) of the entries matching ``query``.

    The query is whitespace-normalised and cut to ``MAX_QUERY_LENGTH`` characters (forms
    reject longer input before it gets here). An empty query matches nothing.
    """
    query = normalize_query(query)[:MAX_QUERY_LENGTH]
    if not query:
        return {}
    return {hit.key: hit.score for hit in get_search_index().search(query)}


def matched_terms(*, query: str, slug: str, limit: int = 6) -> list[str]:
    """The query's terms found in entry ``slug`` (to explain a hit), most informative first."""
    query = normalize_query(query)[:MAX_QUERY_LENGTH]
    if not query:
        return []
    return get_search_index().matched_terms(query, slug, limit=limit)


def similar_projects(*, slug: str, limit: int = 5) -> list[tuple[str, float]]:
    """More like this: the ``limit`` entries whose text is closest to entry ``slug``."""
    return [(hit.key, hit.score) for hit in get_search_index().similar(slug, limit=limit)]
