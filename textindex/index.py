"""TF-IDF over a fixed set of documents with cosine similarity (pivoted length normalisation).

No Django here. Documents are given as text (tokenised here) or as token lists (assembled by
``store.DocumentStore`` from cached tokens, so a text is tokenised once for every index).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .corpus import Corpus, CorpusVectorizer, Postings
from .tokenizer import CONCEPT_PREFIX, display_term, tokenize, tokenize_plain

# Pivoted length normalisation (Singhal et al.): a document's norm is replaced by
# (1 - slope) * mean norm + slope * its norm. 1.0 is plain cosine; lower favours longer
# documents. 0.5 measured best on the search benchmark and the advisor's evaluation set.
PIVOT_SLOPE = 0.5


@dataclass(frozen=True, slots=True)
class Hit:
    key: str
    score: float


def _identity(tokens: Sequence[str]) -> Sequence[str]:
    return tokens


def query_weights(
    vectorizer: CorpusVectorizer, terms: Iterable[str]
) -> tuple[np.ndarray, np.ndarray]:
    """A query's (columns, weights) in a fitted sublinear-tf ``vectorizer``: what its
    ``transform`` gives, L2-normalised, without scikit-learn's per-call input checks (a query
    has a handful of terms). Unknown terms are left out; none known: two empty arrays."""
    vocabulary = vectorizer.vocabulary_
    counts: dict[int, int] = {}
    for term in terms:
        column = vocabulary.get(term)
        if column is not None:
            counts[column] = counts.get(column, 0) + 1
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
    weights = 1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))
    weights *= vectorizer.idf_[columns]
    weights /= np.sqrt(weights @ weights)
    return columns, weights


class TextIndex:
    """TF-IDF over a fixed set of documents, with cosine similarity for queries.

    ``documents``: (key, text) pairs, tokenised here; or build with ``from_tokens`` from token
    lists already made (the same tokens give the same index).
    """

    def __init__(
        self,
        documents: Sequence[tuple[str, str]],
        *,
        synonyms: bool = True,
        pivot_slope: float = PIVOT_SLOPE,
    ) -> None:
        tokenizer = tokenize if synonyms else tokenize_plain
        self._setup(
            [key for key, _ in documents],
            [tokenizer(text) if text.strip() else [] for _, text in documents],
            synonyms=synonyms,
            pivot_slope=pivot_slope,
        )

    @classmethod
    def from_tokens(
        cls,
        keys: Sequence[str],
        tokens: Sequence[Sequence[str]],
        *,
        synonyms: bool = True,
        pivot_slope: float = PIVOT_SLOPE,
    ) -> TextIndex:
        """An index over pre-tokenised documents (``tokenize`` or ``tokenize_plain`` output,
        per ``synonyms``: queries are tokenised the same way)."""
        index = cls.__new__(cls)
        index._setup(list(keys), tokens, synonyms=synonyms, pivot_slope=pivot_slope)
        return index

    @classmethod
    def from_corpus(
        cls,
        keys: Sequence[str],
        corpus: Corpus,
        *,
        synonyms: bool = True,
        pivot_slope: float = PIVOT_SLOPE,
    ) -> TextIndex:
        """``from_tokens`` from the documents' counts (``store.DocumentStore.corpus``): the
        same index, built without a Python loop over every token."""
        index = cls.__new__(cls)
        index._setup(list(keys), corpus, synonyms=synonyms, pivot_slope=pivot_slope)
        return index

    def _setup(
        self,
        keys: Sequence[str],
        tokens: Sequence[Sequence[str]] | Corpus,
        *,
        synonyms: bool,
        pivot_slope: float,
    ) -> None:
        self.keys: tuple[str, ...] = tuple(keys)
        self._position = {key: i for i, key in enumerate(self.keys)}
        self._key_rank = np.zeros(len(self.keys), dtype=np.int64)  # each key's place in order
        self._key_rank[sorted(range(len(self.keys)), key=self.keys.__getitem__)] = np.arange(
            len(self.keys)
        )
        self.synonyms = synonyms
        self._vectorizer = CorpusVectorizer(
            analyzer=_identity, lowercase=False, sublinear_tf=True, norm=None
        )
        # Documents by terms, L2-normalised: a document's own terms (reasons, coverage).
        self._rows: Postings | None = None
        # Each document's L2 norm over its pivoted norm: ``_by_term`` times it is ``_rows``
        # by terms (document-to-document cosines without a second matrix).
        self._cosine_scale: np.ndarray | None = None
        # Terms by documents, divided by the pivoted norm (see below): a query's few words
        # pick their lines.
        self._by_term: Postings | None = None
        if not tokens.empty if isinstance(tokens, Corpus) else any(tokens):
            try:
                raw = self._vectorizer.fit_transform(tokens)
            except ValueError:  # empty vocabulary
                raw = None
            if raw is not None:
                norms = np.sqrt(np.asarray(raw.multiply(raw).sum(axis=1)).ravel())
                norms[norms == 0] = 1.0
                pivoted = (1.0 - pivot_slope) * norms.mean() + pivot_slope * norms
                # Weights kept in single precision (half the memory of 10,000 documents'
                # matrices; scores agree to about 1e-7), computed in double.
                self._rows = Postings.of(
                    sparse.csr_matrix(sparse.diags(1.0 / norms) @ raw), dtype=np.float32
                )
                self._cosine_scale = pivoted / norms
                query_matrix = sparse.diags(1.0 / pivoted) @ raw
                self._by_term = Postings.of(
                    sparse.csr_matrix(query_matrix.T), dtype=np.float32
                )

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every token of the indexed documents (what query understanding corrects typos to)."""
        vocabulary = getattr(self._vectorizer, "vocabulary_", None)
        return frozenset(vocabulary or ())

    def query_tokens(self, query: str) -> list[str]:
        return (tokenize if self.synonyms else tokenize_plain)(query)

    def scores(self, query: str) -> dict[str, float]:
        """Relevance of ``query`` to every document (0.0 where nothing matches).

        Cosine similarity with pivoted length normalisation: a long document (an entry with many
        features) is not drowned by a short one that repeats the query's word once.
        """
        values = self.score_array(query)
        return {key: float(values[i]) for i, key in enumerate(self.keys)}

    def score_array(self, query: str, *, tokens: Sequence[str] | None = None) -> np.ndarray:
        """``scores`` as an array in ``keys`` order (the vectorised form)."""
        if self._by_term is None or not query.strip():
            return np.zeros(len(self.keys))
        words = tokens if tokens is not None else self.query_tokens(query)
        return self._weights_of(words)

    def _weights_of(self, words: Sequence[str]) -> np.ndarray:
        """What ``linear_kernel(normalize(vectorizer.transform([words])), query matrix)``
        gives (sublinear tf times idf, L2-normalised), without scikit-learn's per-call input
        checks: a question has a handful of words."""
        columns, weights = query_weights(self._vectorizer, words)
        if not len(columns):
            return np.zeros(len(self.keys))
        values = np.zeros(len(self.keys))
        for column, weight in zip(columns.tolist(), weights.tolist(), strict=True):
            documents, data = self._by_term.line(column)
            values[documents] += weight * data
        return values

    def search(
        self,
        query: str,
        *,
        limit: int | None = None,
        min_score: float = 0.0,
        relative_cutoff: float = 0.0,
    ) -> list[Hit]:
        """The documents scoring above ``min_score`` and at least ``relative_cutoff`` times the
        best, best first (keys break ties). Sorted in numpy: thousands of hits at 10,000
        documents."""
        values = self.score_array(query)
        found = np.flatnonzero(values > min_score)
        if relative_cutoff and len(found):
            found = found[values[found] >= relative_cutoff * values[found].max()]
        found = found[np.lexsort((self._key_rank[found], -values[found]))][:limit]
        keys = self.keys
        return [
            Hit(keys[i], score)
            for i, score in zip(found.tolist(), values[found].tolist(), strict=True)
        ]

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
        if self._rows is None or key not in self._position:
            return []
        vocabulary = self._vectorizer.vocabulary_
        idf = self._vectorizer.idf_
        low, high = float(idf.min()), float(idf.max())
        columns, values = self._rows.line(self._position[key])
        weights = dict(zip(columns.tolist(), values.tolist(), strict=True))
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
        if self._rows is None or key not in self._position:
            return 0.0
        words = {
            t
            for t in (tokens if tokens is not None else self.query_tokens(query))
            if not t.startswith(CONCEPT_PREFIX)
        }
        if not words:
            return 0.0
        vocabulary = self._vectorizer.vocabulary_
        present = set(self._rows.line(self._position[key])[0].tolist())
        found = sum(1 for t in words if vocabulary.get(t) in present)
        return found / len(words)

    def weighted_coverage(
        self, query: str, key: str | None = None, *, tokens: Sequence[str] | None = None
    ) -> float:
        """Share of the query's word weight (IDF; a word no document has weighs most) that
        document ``key`` has, or that some document has when ``key`` is None."""
        words = {
            t
            for t in (tokens if tokens is not None else self.query_tokens(query))
            if not t.startswith(CONCEPT_PREFIX)
        }
        if not words or self._rows is None:
            return 0.0
        vocabulary = self._vectorizer.vocabulary_
        idf = self._vectorizer.idf_
        unknown = float(idf.max()) + 1.0
        present: set[int] | None = None
        if key is not None:
            if key not in self._position:
                return 0.0
            present = set(self._rows.line(self._position[key])[0].tolist())
        total = found = 0.0
        for word in words:
            column = vocabulary.get(word)
            weight = float(idf[column]) if column is not None else unknown
            total += weight
            if column is not None and (present is None or column in present):
                found += weight
        return found / total if total else 0.0

    def unknown_words(self, query: str, *, tokens: Sequence[str] | None = None) -> int:
        """How many of the query's distinct words (not concept tokens) no document has."""
        words = {
            t
            for t in (tokens if tokens is not None else self.query_tokens(query))
            if not t.startswith(CONCEPT_PREFIX)
        }
        if self._rows is None:
            return len(words)
        vocabulary = self._vectorizer.vocabulary_
        return sum(1 for t in words if t not in vocabulary)

    def similar(self, key: str, *, limit: int = 5, exclude: Iterable[str] = ()) -> list[Hit]:
        """More like this: documents closest to document ``key`` (cosine)."""
        if self._rows is None or key not in self._position:
            return []
        excluded = {key, *exclude}
        # The cosine with every document: this one's terms' lines of ``_by_term``, weighted by
        # its own values, then each document's scale (``_rows`` by terms, without the matrix).
        columns, values = self._rows.line(self._position[key])
        if not len(columns):  # a document without terms is like none
            return []
        lengths, documents, data = self._by_term.lines(columns)
        similarities = np.bincount(
            documents, weights=np.repeat(values, lengths) * data, minlength=len(self.keys)
        )
        similarities *= self._cosine_scale
        candidates = np.flatnonzero(similarities > 0)
        wanted = limit + len(excluded)
        if len(candidates) > wanted:
            # Only the best few become hits: every candidate scoring at least the wanted-th
            # best (ties at the boundary included, so the order below is the full sort's).
            values = similarities[candidates]
            kth = np.partition(values, len(values) - wanted)[len(values) - wanted]
            candidates = candidates[values >= kth]
        hits = [
            Hit(self.keys[i], float(similarities[i]))
            for i in candidates
            if self.keys[i] not in excluded
        ]
        hits.sort(key=lambda hit: (-hit.score, hit.key))
        return hits[:limit]
