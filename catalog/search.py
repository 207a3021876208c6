"""Full-text search over the catalog: one bilingual TF-IDF index per catalog version.

The index (``textindex.index.TextIndex``: jieba + English words + bilingual synonym concepts)
is assembled from every entry's document parts by ``catalog.textstore``, which the advisor
shares. When the catalog version moves on (any admin edit) the next index is built in a
background thread while requests keep using the current one, so an edit is searchable within
seconds in every server process and no request waits for a rebuild.
"""

from __future__ import annotations

import re

from textindex.index import Hit, TextIndex

from . import textstore

MAX_QUERY_LENGTH = 200

# A hit must score at least this fraction of the best hit's score to count as a match.
# jieba's search mode also indexes a query's sub-words (图数据库 -> 数据, 数据库; 联邦学习 -> 学习),
# which occur in nearly every entry, so without a cutoff 图数据库 matched 34 of 43 entries and
# 联邦学习 29. Measured over bench/search_bench.py's queries and more in both languages: the
# entry meant always scores >= 0.69 of the top hit, sensible neighbours >= 0.33 (GraphScope,
# GIE, TuGraph Analytics for 图数据库 at ~0.5; AGL for "GNN training" at 0.33), the sub-word
# noise mostly below 0.25 (Nacos for 图数据库 0.24, everything for 联邦学习 < 0.06). 0.25 keeps
# a few stragglers (EasyRobust for 模型压缩 0.27), 0.35 loses AGL for "GNN training".
RELATIVE_SCORE_CUTOFF = 0.3

_WHITESPACE_RE = re.compile(r"\s+")


def normalize_query(query: str | None) -> str:
    """Collapse runs of whitespace (incl. newlines, full-width spaces) and trim."""
    if not query:
        return ""
    return _WHITESPACE_RE.sub(" ", query).strip()


def get_search_index() -> TextIndex:
    """The current index; costs one primary-key read when the catalog has not changed."""
    return textstore.get_texts().index


def clear_search_index() -> None:
    """Forget the built index (tests that rebuild the catalog from scratch call this)."""
    textstore.clear()


def relevance(*, query: str) -> dict[str, float]:
    """Slug -> relevance score (cosine similarity, > 0) of the entries matching ``query``,
    best first (equal scores by slug).

    The query is whitespace-normalised and cut to ``MAX_QUERY_LENGTH`` characters (forms
    reject longer input before it gets here). An empty query matches nothing. Only hits
    scoring at least ``RELATIVE_SCORE_CUTOFF`` of the best hit are kept (see there).
    """
    query = normalize_query(query)[:MAX_QUERY_LENGTH]
    if not query:
        return {}
    hits = get_search_index().search(query, relative_cutoff=RELATIVE_SCORE_CUTOFF)
    return {hit.key: hit.score for hit in hits}


def keep_close_hits(hits: list[Hit], *, cutoff: float = RELATIVE_SCORE_CUTOFF) -> list[Hit]:
    """The hits scoring at least ``cutoff`` times the best score (order kept)."""
    if not hits:
        return []
    best = max(hit.score for hit in hits)
    return [hit for hit in hits if hit.score >= cutoff * best]


def similar_projects(*, slug: str, limit: int = 5) -> list[tuple[str, float]]:
    """More like this: the ``limit`` entries whose text is closest to entry ``slug``."""
    return [(hit.key, hit.score) for hit in get_search_index().similar(slug, limit=limit)]
