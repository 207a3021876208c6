"""BM25 (Lucene's variant) over a ``Corpus``, built with numpy in one pass.

The scores are bm25s's (``bm25s.BM25()`` with its defaults: k1 1.5, b 0.75, Lucene's tf and
idf, float32 scores, a document without tokens counted as one empty token), number for number
(tests compare the two), without bm25s's loop over every document at build time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from .corpus import TERMS, Corpus, index_dtype


class BM25:
    def __init__(self, corpus: Corpus, *, k1: float = 1.5, b: float = 0.75) -> None:
        counts = corpus.terms_by_document()  # documents by term ids
        n = corpus.size
        documents = np.repeat(np.arange(n, dtype=np.int64), np.diff(counts.indptr))
        lengths = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel() if n else np.zeros(0)
        lengths[lengths == 0] = 1.0  # bm25s indexes an empty document as [""]
        average = lengths.mean() if n else 0.0
        unique = np.flatnonzero(np.bincount(counts.indices)) if counts.nnz else np.zeros(0, int)
        rank = np.zeros(counts.shape[1], dtype=np.int64)
        rank[unique] = np.arange(len(unique), dtype=np.int64)
        columns = rank[counts.indices]
        frequencies = np.bincount(columns, minlength=len(unique))
        idf_of = {
            df: math.log(1 + (n - df + 0.5) / (df + 0.5))
            for df in np.unique(frequencies).tolist()
        }
        idf = np.array([idf_of[df] for df in frequencies.tolist()], dtype=np.float32)
        tf = counts.data.astype(np.float32).astype(np.float64)
        scale = k1 * ((1 - b) + b * lengths[documents] / average)
        scores = (idf[columns].astype(np.float64) * (tf / (scale + tf))).astype(np.float32)
        by_term = sparse.csr_array(
            (scores, columns, counts.indptr), shape=(n, len(unique))
        ).tocsc()
        self._data = by_term.data
        self._documents = by_term.indices.astype(index_dtype(n))
        self._indptr = by_term.indptr
        terms = TERMS.terms
        self.vocabulary = {terms[term]: i for i, term in enumerate(unique.tolist())}
        self.size = n

    def get_scores(self, tokens: Sequence[str]) -> np.ndarray:
        """Each document's score for the query tokens (float32; unknown tokens ignored)."""
        scores = np.zeros(self.size, dtype=np.float32)
        for token in tokens:
            column = self.vocabulary.get(token)
            if column is None:
                continue
            start, end = self._indptr[column], self._indptr[column + 1]
            np.add.at(scores, self._documents[start:end], self._data[start:end])
        return scores
