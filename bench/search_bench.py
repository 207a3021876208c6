"""Catalog search: the bilingual TF-IDF index vs a naive substring scan (the baseline).

Figures, in one run over the same documents (``project_document_text`` of every entry):
- index build time, and per-query time of ``TextIndex.search`` vs scanning every text for the
  query's words (case-insensitive substring test, ranked by occurrence count);
- whether each method finds the expected entry for bilingual queries (rank of the target), and
  how many entries each returns (the index before and after ``keep_close_hits``, the relative
  score cutoff the catalog applies: sub-words like 数据 or 学习 otherwise match nearly everything);
- the same timings with the corpus copied 10x and 50x, to show how both scale;
- ``run_catalog_query`` end to end (SQL + search + facet counts), the cost of one list request.
"""

from __future__ import annotations

import statistics
import time
import unicodedata
from collections.abc import Callable, Sequence

# (query, the entry a user means)
QUERIES: tuple[tuple[str, str], ...] = (
    ("图数据库", "tugraph-db"),
    ("graph database", "tugraph-db"),
    ("推荐", "easyrec"),
    ("recommendation", "easyrec"),
    ("联邦学习", "federatedscope"),
    ("federated learning", "federatedscope"),
    ("模型压缩", "tinyneuralnetwork"),
    ("model compression", "tinyneuralnetwork"),
    ("向量检索", "proxima"),
    ("vector retrieval", "proxima"),
    ("服务发现", "nacos"),
    ("service discovery", "nacos"),
    ("文档智能", "docmind"),
    ("语音识别", "nls"),
    ("speech recognition", "nls"),
    ("流式机器学习", "alink"),
    ("图神经网络训练", "graph-learn"),
    ("GNN training", "graph-learn"),
)


def _median_seconds(func: Callable[[], object], *, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


class SubstringScan:
    """The baseline: lower-case every text once; a query's words must all occur as substrings;
    rank by the number of occurrences."""

    def __init__(self, documents: Sequence[tuple[str, str]]) -> None:
        self.documents = [(key, text.lower()) for key, text in documents]

    def search(self, query: str) -> list[str]:
        words = query.lower().split()
        if not words:
            return []
        hits = []
        for key, text in self.documents:
            if all(word in text for word in words):
                hits.append((-sum(text.count(word) for word in words), key))
        hits.sort()
        return [key for _, key in hits]


def _pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 0)


def _rank(found: Sequence[str], target: str) -> int | None:
    return found.index(target) + 1 if target in found else None


def _fmt_rank(rank: int | None) -> str:
    return "-" if rank is None else str(rank)


def _fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:8.3f} ms"


def run() -> None:
    from django.http import QueryDict

    from catalog.documents import project_document_text
    from catalog.models import Project
    from catalog.queries import run_catalog_query
    from catalog.search import RELATIVE_SCORE_CUTOFF, get_search_index, keep_close_hits
    from textindex.index import TextIndex

    started = time.perf_counter()
    projects = list(Project.objects.with_facets().order_by("slug"))
    documents = [(p.slug, project_document_text(p)) for p in projects]
    load_seconds = time.perf_counter() - started
    if not documents:
        print("No entries in the catalog: nothing to measure (load fixtures/catalog.json).")
        return
    chars = sum(len(text) for _, text in documents)
    print(f"{len(documents)} documents, {chars:,} characters; loading them from the database "
          f"took {load_seconds * 1000:.1f} ms")

    TextIndex(documents[:1])  # jieba's dictionary loads once per process; keep it out
    build = _median_seconds(lambda: TextIndex(documents), repeat=5)
    index = TextIndex(documents)
    baseline = SubstringScan(documents)
    build_baseline = _median_seconds(lambda: SubstringScan(documents), repeat=5)
    print(f"Build: index {_fmt_ms(build)}   baseline (lower-casing) {_fmt_ms(build_baseline)}")

    print("\nPer query (median of 50 runs) and the rank of the entry meant ('-' = not found):")
    print(f"  (hits: index with the cutoff {RELATIVE_SCORE_CUTOFF} of the top score, index without "
          f"it, baseline; out of {len(documents)})")
    print(f"  {'query':<22} {'index':>11} {'baseline':>11}   rank idx/base   hits idx/raw/base")
    index_times, baseline_times = [], []
    index_found = baseline_found = index_top3 = baseline_top3 = 0
    for query, target in QUERIES:
        t_index = _median_seconds(lambda q=query: index.search(q), repeat=50)
        t_base = _median_seconds(lambda q=query: baseline.search(q), repeat=50)
        index_times.append(t_index)
        baseline_times.append(t_base)
        raw_hits = index.search(query)
        index_hits = [hit.key for hit in keep_close_hits(raw_hits)]
        base_hits = baseline.search(query)
        r_index, r_base = _rank(index_hits, target), _rank(base_hits, target)
        index_found += r_index is not None
        baseline_found += r_base is not None
        index_top3 += r_index is not None and r_index <= 3
        baseline_top3 += r_base is not None and r_base <= 3
        print(f"  {_pad(query, 22)} {_fmt_ms(t_index)} {_fmt_ms(t_base)}   "
              f"{_fmt_rank(r_index):>4} / {_fmt_rank(r_base):<4}   "
              f"{len(index_hits):>3} / {len(raw_hits):>3} / {len(base_hits):<3}")
    mean_index = statistics.mean(index_times)
    mean_base = statistics.mean(baseline_times)
    n = len(QUERIES)
    print(f"\n  mean per query: index {_fmt_ms(mean_index)}, baseline {_fmt_ms(mean_base)} "
          f"-> index / baseline = {mean_index / mean_base:.1f}x the time")
    print(f"  entry meant found: index {index_found}/{n}, baseline {baseline_found}/{n}; "
          f"in the top 3: index {index_top3}/{n}, baseline {baseline_top3}/{n}")

    print("\nScaling (the corpus copied k times, keys made unique):")
    print(f"  {'docs':>6} {'build':>11} {'index/query':>12} {'baseline/query':>15} {'ratio':>7}")
    sample = [query for query, _ in QUERIES[:6]]
    for k in (1, 10, 50):
        corpus = [(f"{key}#{i}", text) for i in range(k) for key, text in documents]
        big_build = _median_seconds(lambda c=corpus: TextIndex(c), repeat=1 if k > 1 else 3)
        big_index, big_base = TextIndex(corpus), SubstringScan(corpus)
        t_index = statistics.mean(
            _median_seconds(lambda q=q, i=big_index: i.search(q), repeat=10) for q in sample
        )
        t_base = statistics.mean(
            _median_seconds(lambda q=q, b=big_base: b.search(q), repeat=10) for q in sample
        )
        print(f"  {len(corpus):>6} {_fmt_ms(big_build)} {_fmt_ms(t_index):>12} "
              f"{_fmt_ms(t_base):>15} {t_index / t_base:>6.1f}x")

    print("\nOne catalog list request (run_catalog_query: SQL, search, facet counts):")
    get_search_index()
    for label, params in (
        ("no filters", ""),
        ("q=图数据库", "q=图数据库"),
        ("q + 2 facets", "q=recommendation&framework=tensorflow&framework=pytorch&maintained=1"),
    ):
        seconds = _median_seconds(lambda p=params: run_catalog_query(params=QueryDict(p)),
                                  repeat=20)
        print(f"  {_pad(label, 14)} {_fmt_ms(seconds)}")
