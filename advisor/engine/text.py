"""Bilingual text relevance: jieba for Chinese, lower-cased words for English, TF-IDF, cosine.

This module has no Django imports. The catalog's search box and the advisor share it, so that
"图数据库" and "graph database" find the same entries in both places.

Tokens come in two layers:
- surface tokens: jieba words for runs of Chinese characters, lower-cased words for the rest;
- concept tokens (``~recommendation``): added when a text mentions any alias of a concept in
  the bilingual synonym map (``synonyms.CONCEPTS``), so an English question meets Chinese text.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jieba
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel
from sklearn.preprocessing import normalize

from .synonyms import CONCEPTS, DOMAIN_WORDS, WHOLE_WORDS

jieba.setLogLevel(logging.WARNING)

CONCEPT_PREFIX = "~"

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"[{_CJK}]+|[a-z0-9][a-z0-9+#]*(?:[.\-][a-z0-9+#]+)*")
_CJK_RE = re.compile(rf"^[{_CJK}]+$")

ENGLISH_STOPWORDS = frozenset(
    """a an and are as at be by can for from has have i in into is it its of on or our
    that the their them these this those to we with you your my me via using use used
    what which who how when where do does need needs want wants would should could
    will shall than then there here also more most such other any all each per
    about over under between both only not no yes very much many some one two
    without within run running based like make get got etc e.g i.e just still now
    so if but because able""".split()
)
CHINESE_STOPWORDS = frozenset(
    """的 了 和 与 及 或 是 在 等 对 为 以 从 中 上 下 其 并 也 而 且 于 把 被 让 将 就 都
    这 那 这些 那些 一个 一种 我们 我 你 他 她 它 他们 如何 怎么 什么 哪个 哪些
    需要 想 要 用 使用 支持 提供 可以 能够 进行 通过 基于 实现 以及 包括 如
    例如 各种 多种 相关 主要 一些 做 搞 给 很 能 会 个 们 来 去 对于 关于 还 又 再 请 吗 呢
    吧 啊 呀 有 没有 怎样 怎么样 哪种 合适 适合 推荐一下""".split()
)

_jieba_lock = threading.Lock()
_jieba_ready = False


def _ensure_jieba() -> None:
    """Load jieba's dictionary once, with the domain words added so they stay whole."""
    global _jieba_ready
    if _jieba_ready:
        return
    with _jieba_lock:
        if _jieba_ready:
            return
        jieba.initialize()
        for word in DOMAIN_WORDS:
            jieba.add_word(word, freq=200000)
        _jieba_ready = True


def surface_tokens(text: str) -> list[str]:
    """Chinese words (jieba) and lower-cased English words, stopwords removed."""
    _ensure_jieba()
    tokens: list[str] = []
    for run in _RUN_RE.findall(text.lower()):
        if _CJK_RE.match(run):
            # Search mode also yields the words inside long ones ("推荐算法" -> "推荐",
            # "算法", "推荐算法"), so a short query word meets a longer compound.
            for whole in jieba.cut(run, HMM=True):
                # Words whose parts mean something else stay whole ("机器人" is no "机器").
                parts = (whole,) if whole in WHOLE_WORDS else jieba.cut_for_search(whole, HMM=True)
                for word in parts:
                    if word and word not in CHINESE_STOPWORDS:
                        tokens.append(word)
        elif run not in ENGLISH_STOPWORDS and not run.isdigit():
            tokens.append(run)
    return tokens


def alias_pattern(alias: str) -> re.Pattern[str]:
    """A pattern for one alias: whole words (plural s allowed) in English, substring in Chinese."""
    alias = alias.lower()
    if re.search(rf"[{_CJK}]", alias):
        return re.compile(re.escape(alias))
    # English aliases match whole words (and an optional plural s).
    return re.compile(rf"(?<![a-z0-9]){re.escape(alias)}s?(?![a-z0-9])")


def concept_pattern(aliases: Iterable[str]) -> re.Pattern[str]:
    """One pattern for all aliases of a concept (one regex search per concept, not per alias).

    Longer aliases come first so a match shows the longest alias found.
    """
    english: list[str] = []
    chinese: list[str] = []
    for alias in sorted({a.lower() for a in aliases}, key=lambda a: (-len(a), a)):
        (chinese if re.search(rf"[{_CJK}]", alias) else english).append(re.escape(alias))
    parts = []
    if english:
        parts.append(rf"(?<![a-z0-9])(?:{'|'.join(english)})s?(?![a-z0-9])")
    if chinese:
        parts.append(f"(?:{'|'.join(chinese)})")
    return re.compile("|".join(parts))


_CONCEPT_PATTERNS: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = tuple(
    (concept, (concept_pattern(aliases),)) for concept, aliases in CONCEPTS.items()
)


_PATTERNS_BY_CONCEPT = dict(_CONCEPT_PATTERNS)


def concepts_in(text: str) -> list[str]:
    """Concepts of the synonym map that ``text`` mentions, each once, in map order."""
    lowered = text.lower()
    return [
        concept
        for concept, patterns in _CONCEPT_PATTERNS
        if any(pattern.search(lowered) for pattern in patterns)
    ]


def remove_concepts(text: str, concepts: Iterable[str]) -> str:
    """``text`` without the aliases of the given concepts (e.g. framework names)."""
    wanted = set(concepts)
    lowered = text.lower()
    for concept, patterns in _CONCEPT_PATTERNS:
        if concept in wanted:
            for pattern in patterns:
                lowered = pattern.sub(" ", lowered)
    return lowered


def tokenize(text: str) -> list[str]:
    """Surface tokens plus one concept token per mentioned concept (the synonym layer)."""
    tokens = surface_tokens(text)
    tokens.extend(CONCEPT_PREFIX + concept for concept in concepts_in(text))
    return tokens


def tokenize_plain(text: str) -> list[str]:
    """Surface tokens only: the baseline without the synonym map."""
    return surface_tokens(text)


def display_term(query: str, token: str) -> str:
    """How a matched token appears in the query (the alias for a concept token)."""
    if token.startswith(CONCEPT_PREFIX):
        concept = token.removeprefix(CONCEPT_PREFIX)
        for pattern in _PATTERNS_BY_CONCEPT.get(concept, ()):
            match = pattern.search(query.lower())
            if match:
                start, end = match.span()
                return query[start:end]
        return concept
    index = query.lower().find(token)
    return query[index : index + len(token)] if index >= 0 else token


# Pivoted length normalisation (Singhal et al.): a document's norm is replaced by
# (1 - slope) * mean norm + slope * its norm. 1.0 is plain cosine; lower favours longer
# documents. 0.5 measured best on the search benchmark and the advisor's evaluation set.
PIVOT_SLOPE = 0.5


@dataclass(frozen=True)
class Hit:
    key: str
    score: float


class TextIndex:
    """TF-IDF over a fixed set of documents, with cosine similarity for queries."""

    def __init__(
        self,
        documents: Sequence[tuple[str, str]],
        *,
        synonyms: bool = True,
        pivot_slope: float = PIVOT_SLOPE,
    ) -> None:
        self.keys: tuple[str, ...] = tuple(key for key, _ in documents)
        self._position = {key: i for i, key in enumerate(self.keys)}
        self.synonyms = synonyms
        self._vectorizer = TfidfVectorizer(
            tokenizer=tokenize if synonyms else tokenize_plain,
            token_pattern=None,
            lowercase=False,
            sublinear_tf=True,
            norm=None,
        )
        texts = [text for _, text in documents]
        self._matrix = None  # rows L2-normalised: document-to-document similarity
        self._query_matrix = None  # rows divided by their pivoted norm: query relevance
        if any(t.strip() for t in texts):
            try:
                raw = self._vectorizer.fit_transform(texts)
            except ValueError:  # empty vocabulary: only stopwords
                raw = None
            if raw is not None:
                norms = np.sqrt(np.asarray(raw.multiply(raw).sum(axis=1)).ravel())
                norms[norms == 0] = 1.0
                pivoted = (1.0 - pivot_slope) * norms.mean() + pivot_slope * norms
                self._matrix = sparse.csr_matrix(sparse.diags(1.0 / norms) @ raw)
                self._query_matrix = sparse.csr_matrix(sparse.diags(1.0 / pivoted) @ raw)

    def __len__(self) -> int:
        return len(self.keys)

    def query_tokens(self, query: str) -> list[str]:
        return (tokenize if self.synonyms else tokenize_plain)(query)

    def scores(self, query: str) -> dict[str, float]:
        """Relevance of ``query`` to every document (0.0 where nothing matches).

        Cosine similarity with pivoted length normalisation: a long document (an entry with many
        features) is not drowned by a short one that repeats the query's word once.
        """
        if self._query_matrix is None or not query.strip():
            return dict.fromkeys(self.keys, 0.0)
        vector = normalize(self._vectorizer.transform([query]))
        similarities = linear_kernel(vector, self._query_matrix).ravel()
        return {key: float(similarities[i]) for i, key in enumerate(self.keys)}

    def search(self, query: str, *, limit: int | None = None, min_score: float = 0.0) -> list[Hit]:
        hits = [Hit(key, score) for key, score in self.scores(query).items() if score > min_score]
        hits.sort(key=lambda hit: (-hit.score, hit.key))
        return hits[:limit] if limit is not None else hits

    def matched_terms(
        self,
        query: str,
        key: str,
        *,
        limit: int = 6,
        tokens: Sequence[str] | None = None,
        min_idf_share: float = 0.0,
        merge_nested: bool = False,
    ) -> list[str]:
        """The query's terms that occur in document ``key``, most informative first.

        Terms are shown as the user wrote them: a concept token shows the alias found in the
        query (``~recommendation`` from "推荐" -> "推荐"), a word keeps its original case.
        ``merge_nested``: leave out a term inside a longer matched one ("联邦" beside "联邦学习").
        ``tokens``: the query's tokens when the caller already has them (saves re-tokenising).
        ``min_idf_share``: leave out words that nearly every document has (their IDF above
        the minimum, as a share of the range), unless nothing else matched.
        """
        if self._matrix is None or key not in self._position:
            return []
        vocabulary = self._vectorizer.vocabulary_
        idf = self._vectorizer.idf_
        low, high = float(idf.min()), float(idf.max())
        position = self._position[key]
        start, end = self._matrix.indptr[position], self._matrix.indptr[position + 1]
        weights = dict(
            zip(self._matrix.indices[start:end], self._matrix.data[start:end], strict=True)
        )
        seen: dict[str, tuple[float, float]] = {}  # label -> (weight, idf share)
        for token in dict.fromkeys(tokens if tokens is not None else self.query_tokens(query)):
            column = vocabulary.get(token)
            if column is not None and column in weights:
                label = display_term(query, token)
                if label.lower() in (s.lower() for s in seen):
                    continue
                share = (float(idf[column]) - low) / (high - low) if high > low else 1.0
                seen[label] = (float(weights[column]), share)
        informative = {t: v for t, v in seen.items() if v[1] >= min_idf_share} or seen
        labels = [t for t, _ in sorted(informative.items(), key=lambda kv: -kv[1][0])]
        lowered = [t.lower() for t in labels]
        if merge_nested:
            labels = [
                t
                for t, low_t in zip(labels, lowered, strict=True)
                if not any(low_t != other and low_t in other for other in lowered)
            ]
        return labels[:limit]

    def coverage(self, query: str, key: str, *, tokens: Sequence[str] | None = None) -> float:
        """Share of the query's distinct words (not concept tokens) that document ``key`` has."""
        if self._matrix is None or key not in self._position:
            return 0.0
        words = {
            t
            for t in (tokens if tokens is not None else self.query_tokens(query))
            if not t.startswith(CONCEPT_PREFIX)
        }
        if not words:
            return 0.0
        vocabulary = self._vectorizer.vocabulary_
        position = self._position[key]
        start, end = self._matrix.indptr[position], self._matrix.indptr[position + 1]
        present = set(self._matrix.indices[start:end].tolist())
        found = sum(1 for t in words if vocabulary.get(t) in present)
        return found / len(words)

    def unknown_words(self, query: str, *, tokens: Sequence[str] | None = None) -> int:
        """How many of the query's distinct words (not concept tokens) no document has."""
        words = {
            t
            for t in (tokens if tokens is not None else self.query_tokens(query))
            if not t.startswith(CONCEPT_PREFIX)
        }
        if self._matrix is None:
            return len(words)
        vocabulary = self._vectorizer.vocabulary_
        return sum(1 for t in words if t not in vocabulary)

    def similar(self, key: str, *, limit: int = 5, exclude: Iterable[str] = ()) -> list[Hit]:
        """More like this: documents closest to document ``key``."""
        if self._matrix is None or key not in self._position:
            return []
        excluded = {key, *exclude}
        row = self._matrix.getrow(self._position[key])
        similarities = linear_kernel(row, self._matrix).ravel()
        hits = [
            Hit(other, float(similarities[i]))
            for i, other in enumerate(self.keys)
            if other not in excluded and similarities[i] > 0
        ]
        hits.sort(key=lambda hit: (-hit.score, hit.key))
        return hits[:limit]
