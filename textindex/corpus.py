"""Documents as token counts, and the count matrices built from them without a loop per token.

A text's tokens are kept as a *bag*: a (2, k) int32 array of its distinct tokens' ids (in order
of first occurrence) and their counts. Ids come from one process-wide table of terms, so a
token is stored once however many texts hold it, and a document's bag is its parts' bags one
after another. ``Corpus`` holds the documents of one index; ``count_vocabulary`` turns it into
what scikit-learn's ``CountVectorizer`` would count of the same token lists (the same
vocabulary, the same matrix, entry for entry), with a few numpy sorts instead of a Python loop
over every token, so an index over 10,000 documents builds in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

EMPTY_BAG = np.zeros((2, 0), dtype=np.int32)


class Terms:
    """Every token seen by this process, once, with its id (the order it was first seen)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self.terms: list[str] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.terms)

    def ids(self, tokens: Iterable[str]) -> list[int]:
        result = []
        with self._lock:
            known, terms = self._ids, self.terms
            for token in tokens:
                found = known.get(token)
                if found is None:
                    found = known[token] = len(terms)
                    terms.append(token)
                result.append(found)
        return result


TERMS = Terms()


def bag(tokens: Iterable[str]) -> np.ndarray:
    """The (2, k) int32 bag of ``tokens``: distinct tokens' ids, first occurrence first, and
    their counts."""
    counter = Counter(tokens)
    if not counter:
        return EMPTY_BAG
    return np.array([TERMS.ids(counter), list(counter.values())], dtype=np.int32)


def merged(bags: Sequence[np.ndarray]) -> np.ndarray:
    """One bag of several texts' bags in order: what ``bag`` gives of their tokens joined."""
    if not bags:
        return EMPTY_BAG
    joined = np.concatenate(bags, axis=1) if len(bags) > 1 else bags[0]
    unique, first, inverse = np.unique(joined[0], return_index=True, return_inverse=True)
    if len(unique) == joined.shape[1]:
        return joined
    counts = np.bincount(inverse.ravel(), weights=joined[1], minlength=len(unique))
    order = np.argsort(first, kind="stable")
    return np.array([unique[order], counts[order]], dtype=np.int32)


def index_dtype(bound: int) -> type[np.unsignedinteger] | type[np.signedinteger]:
    """The smallest integer type for indices below ``bound``: two bytes under 65,536 (the
    documents of a 10,000-entry catalog), else four."""
    return np.uint16 if bound <= 1 << 16 else np.int32


@dataclass(frozen=True, slots=True)
class Postings:
    """A sparse matrix by its major axis (rows of a CSR, columns of a CSC) as three arrays,
    the minor indices in ``index_dtype`` (half of scipy's int32 at 10,000 documents): a
    query reads the few lines of its terms, never the matrix as a whole."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    minor: int  # the size of the minor axis

    @classmethod
    def of(cls, matrix: sparse.spmatrix | sparse.sparray, *, dtype=None) -> Postings:
        """From a CSR (lines: rows) or CSC (lines: columns) matrix, its data as ``dtype``."""
        matrix.sort_indices()
        minor = matrix.shape[1] if matrix.format == "csr" else matrix.shape[0]
        return cls(
            indptr=np.asarray(matrix.indptr, dtype=np.int64),
            indices=np.asarray(matrix.indices, dtype=index_dtype(minor)),
            data=np.asarray(matrix.data, dtype=dtype or matrix.data.dtype),
            minor=minor,
        )

    def line(self, major: int) -> tuple[np.ndarray, np.ndarray]:
        """(minor indices, values) of one line."""
        start, end = self.indptr[major], self.indptr[major + 1]
        return self.indices[start:end], self.data[start:end]

    def lines(self, majors: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The given lines one after another: (each line's length, minor indices, values)."""
        majors = np.asarray(majors, dtype=np.intp)  # another's uint16 indices: no wrap at +1
        starts, ends = self.indptr[majors], self.indptr[majors + 1]
        lengths = ends - starts
        if not len(majors):
            return lengths, self.indices[:0], self.data[:0]
        spans = [slice(a, b) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        return (
            lengths,
            np.concatenate([self.indices[span] for span in spans]),
            np.concatenate([self.data[span] for span in spans]),
        )

    def csr(self, *, major: int) -> sparse.csr_matrix:
        """As a scipy matrix (lines as rows), ``major`` lines."""
        return sparse.csr_matrix(
            (self.data, self.indices.astype(np.int32), self.indptr), shape=(major, self.minor)
        )


def tokens_of(bag_: np.ndarray) -> list[str]:
    """The tokens of a bag, each repeated its count (grouped, not in the text's order)."""
    terms = TERMS.terms
    return [terms[i] for i, count in bag_.T.tolist() for _ in range(count)]


@dataclass(frozen=True)
class Corpus:
    """Documents as counts: per stored element, its document, term id and count. A document's
    elements come in the order its tokens first occur (its parts' bags one after another)."""

    documents: np.ndarray  # int64 document index per element
    ids: np.ndarray  # int64 term id (``TERMS``) per element
    counts: np.ndarray  # float64 count per element
    size: int  # number of documents
    concepts: tuple[frozenset[str], ...] = ()  # per document, its concept tokens (if known)
    distinct: bool = False  # no term twice in a document (its bags are ``merged``)

    @classmethod
    def from_bags(
        cls,
        documents: Sequence[Sequence[np.ndarray]],
        *,
        concepts: Sequence[frozenset[str]] = (),
        distinct: bool = False,
    ) -> Corpus:
        """``documents``: per document, the bags of its parts in order (``distinct``: one
        bag each, no term twice)."""
        lengths = np.fromiter(
            (sum(b.shape[1] for b in bags) for bags in documents),
            dtype=np.int64,
            count=len(documents),
        )
        flat = [b for bags in documents for b in bags if b.shape[1]]
        joined = np.concatenate(flat, axis=1) if flat else EMPTY_BAG
        return cls(
            documents=np.repeat(np.arange(len(documents), dtype=np.int64), lengths),
            ids=joined[0].astype(np.int64),
            counts=joined[1].astype(np.float64),
            size=len(documents),
            concepts=tuple(concepts),
            distinct=distinct,
        )

    def __len__(self) -> int:
        return self.size

    @property
    def empty(self) -> bool:
        return not len(self.ids)

    def _matrix(self, columns: np.ndarray, width: int) -> sparse.csr_array:
        """Documents by ``columns`` (one per element), a document's repeated token summed."""
        if self.distinct:
            indptr = np.zeros(self.size + 1, dtype=np.int64)
            np.cumsum(np.bincount(self.documents, minlength=self.size), out=indptr[1:])
            matrix = sparse.csr_array(
                (self.counts.copy(), columns.copy(), indptr), shape=(self.size, width)
            )
            matrix.sort_indices()  # in place: the corpus's own arrays stay as they are
            return matrix
        summed = sparse.coo_array(
            (self.counts, (self.documents, columns)), shape=(self.size, width)
        ).tocsr()
        summed.sum_duplicates()
        return summed

    def terms_by_document(self) -> sparse.csr_array:
        """Documents by term ids (``TERMS``), the counts of a document's repeated token summed,
        indices sorted."""
        width = int(self.ids.max()) + 1 if len(self.ids) else 0
        return self._matrix(self.ids, width)

    def count_vocabulary(self) -> tuple[dict[str, int], sparse.csr_array]:
        """What ``CountVectorizer._count_vocab`` returns for these documents' token lists: the
        vocabulary (term -> id, ids in order of first occurrence across the documents) and
        the document-term count matrix (float64, indices sorted)."""
        if self.empty:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        ids = self.ids
        first = np.full(int(ids.max()) + 1, len(ids), dtype=np.int64)
        np.minimum.at(first, ids, np.arange(len(ids), dtype=np.int64))
        used = np.flatnonzero(first < len(ids))
        order = used[np.argsort(first[used])]  # term ids, first seen first
        rank = np.zeros(len(first), dtype=np.int64)
        rank[order] = np.arange(len(order), dtype=np.int64)
        summed = self._matrix(rank[ids], len(order))
        index_type = np.int32 if summed.nnz <= np.iinfo(np.int32).max else np.int64
        matrix = sparse.csr_array(
            (
                summed.data.astype(np.float64),
                summed.indices.astype(index_type),
                summed.indptr.astype(index_type),
            ),
            shape=summed.shape,
            dtype=np.float64,
        )
        matrix.sort_indices()
        terms = TERMS.terms
        vocabulary = {terms[term]: i for i, term in enumerate(order.tolist())}
        return vocabulary, matrix


class CorpusVectorizer:
    """What scikit-learn's ``TfidfVectorizer`` does with the few options the indexes use
    (a callable or ``"char_wb"`` analyzer, ``ngram_range``, ``lowercase``, ``sublinear_tf``,
    ``norm`` "l2" or None; smooth idf), entry for entry and in the same order, and fitting on
    a ``Corpus`` (counts already made) as on the documents themselves. Written here so that a
    serving process does not import scikit-learn, whose import brings scipy.stats and
    scipy.optimize along: about 70 MB a process (tests/test_corpus.py compares the two)."""

    _WHITE_SPACES = re.compile(r"\s\s+")

    def __init__(
        self,
        *,
        analyzer: str | Callable[[str], Sequence[str]] = "word",
        ngram_range: tuple[int, int] = (1, 1),
        lowercase: bool = True,
        sublinear_tf: bool = False,
        norm: str | None = "l2",
    ) -> None:
        if not callable(analyzer) and analyzer != "char_wb":
            raise ValueError(f"unsupported analyzer: {analyzer!r}")
        if norm not in ("l2", None):
            raise ValueError(f"unsupported norm: {norm!r}")
        self.analyzer = analyzer
        self.ngram_range = ngram_range
        self.lowercase = lowercase
        self.sublinear_tf = sublinear_tf
        self.norm = norm

    # --- analysis --------------------------------------------------------------------------

    def _char_wb_ngrams(self, text: str) -> list[str]:
        """Character n-grams inside words, each word padded with a space at both ends."""
        text = self._WHITE_SPACES.sub(" ", text)
        low, high = self.ngram_range
        ngrams: list[str] = []
        append = ngrams.append
        for word in text.split():
            word = f" {word} "
            length = len(word)
            for n in range(low, high + 1):
                offset = 0
                append(word[offset : offset + n])
                while offset + n < length:
                    offset += 1
                    append(word[offset : offset + n])
                if offset == 0:  # a word shorter than n counts once
                    break
        return ngrams

    def build_analyzer(self) -> Callable[[str], Sequence[str]]:
        if callable(self.analyzer):
            return self.analyzer
        lowercase, ngrams = self.lowercase, self._char_wb_ngrams

        def analyze(text: str) -> list[str]:
            return ngrams(text.lower() if lowercase else text)

        return analyze

    # --- counting --------------------------------------------------------------------------

    def _count(self, documents: Iterable, vocabulary: dict[str, int] | None):
        """(vocabulary, counts): ids in order of first occurrence when ``vocabulary`` is None,
        the counts float64 with each row's entries in column order."""
        fixed = vocabulary is not None
        if not fixed:
            vocabulary = {}
        analyze = self.build_analyzer()
        columns: list[int] = []
        values: list[int] = []
        indptr = [0]
        for document in documents:
            counter: dict[int, int] = {}
            for feature in analyze(document):
                column = vocabulary.get(feature)
                if column is None:
                    if fixed:
                        continue
                    column = vocabulary[feature] = len(vocabulary)
                counter[column] = counter.get(column, 0) + 1
            columns.extend(counter)
            values.extend(counter.values())
            indptr.append(len(columns))
        if not vocabulary:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        index_type = np.int32 if indptr[-1] <= np.iinfo(np.int32).max else np.int64
        matrix = sparse.csr_array(
            (
                np.asarray(values, dtype=np.intc),
                np.asarray(columns, dtype=index_type),
                np.asarray(indptr, dtype=index_type),
            ),
            shape=(len(indptr) - 1, len(vocabulary)),
            dtype=np.float64,
        )
        matrix.sort_indices()
        return vocabulary, matrix

    # --- weighting -------------------------------------------------------------------------

    def _weighted(self, matrix: sparse.csr_array) -> sparse.csr_matrix:
        if self.sublinear_tf:
            np.log(matrix.data, matrix.data)
            matrix.data += 1.0
        matrix.data *= self.idf_[matrix.indices]
        if self.norm == "l2":
            data, indptr = matrix.data, matrix.indptr
            squares = data * data
            norms = np.ones(matrix.shape[0])
            for row in np.flatnonzero(np.diff(indptr)).tolist():
                # Summed in order, as scikit-learn's row normalisation does (bit for bit).
                total = np.cumsum(squares[indptr[row] : indptr[row + 1]])[-1]
                if total != 0.0:
                    norms[row] = np.sqrt(total)
            data /= np.repeat(norms, np.diff(indptr))
        return sparse.csr_matrix(matrix)

    def fit_transform(self, documents) -> sparse.csr_matrix:
        """Fit on ``documents`` (a ``Corpus``, or what the analyzer reads) and return their
        weighted document-term matrix; terms are numbered in sorted order."""
        return self._weighted(self.fit_counts(documents))

    def fit_counts(self, documents) -> sparse.csr_array:
        """Fit as ``fit_transform`` does and return the counts it weights (float64)."""
        if isinstance(documents, Corpus):
            vocabulary, matrix = documents.count_vocabulary()
        else:
            vocabulary, matrix = self._count(documents, None)
        # Columns renumbered in term order, each row's entries left in first-seen order.
        ranks = np.empty(len(vocabulary), dtype=matrix.indices.dtype)
        for rank, (term, column) in enumerate(sorted(vocabulary.items())):
            vocabulary[term] = rank
            ranks[column] = rank
        matrix = sparse.csr_array(
            (matrix.data.copy(), ranks.take(matrix.indices, mode="clip"), matrix.indptr.copy()),
            shape=matrix.shape,
        )
        frequencies = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
        frequencies += 1.0
        self.idf_ = np.full_like(frequencies, fill_value=matrix.shape[0] + 1, dtype=np.float64)
        self.idf_ /= frequencies
        np.log(self.idf_, out=self.idf_)
        self.idf_ += 1.0
        self.vocabulary_ = vocabulary
        return matrix

    def transform(self, documents: Iterable) -> sparse.csr_matrix:
        _vocabulary, matrix = self._count(documents, self.vocabulary_)
        return self._weighted(matrix)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


class CountIndex:
    """Texts' term counts by column, scored as ``vectorizer``'s sublinear TF-IDF, L2-normalised
    rows: what ``fit_transform(...)[:, columns] @ weights`` gives, from counts kept in two
    bytes (the weights are computed for a query's few columns only). ``vectorizer`` is the
    one fitted on them; ``digests`` are the texts' ``_digest``, in row order."""

    def __init__(
        self, counts: sparse.csr_array, vectorizer, *, digests: Sequence[bytes]
    ) -> None:
        self.vectorizer = vectorizer
        self.size = counts.shape[0]
        # Rows by the texts' digests (not the texts: 10,000 of them are megabytes); a repeated
        # text: its last row.
        self.rows = {digest: i for i, digest in enumerate(digests)}
        weights = counts.data.copy()
        np.log(weights, out=weights)
        weights += 1.0
        weights *= vectorizer.idf_[counts.indices]
        row_of = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(row_of, weights=weights * weights, minlength=counts.shape[0]))
        norms[norms == 0] = 1.0
        self.norms = norms
        by_column = sparse.csc_matrix(counts)
        by_column.data = np.minimum(by_column.data, np.iinfo(np.uint16).max)
        # Lines: columns (n-grams); minor indices: the texts' rows.
        self.counts = Postings.of(by_column, dtype=np.uint16)
        self.width = counts.shape[1]
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        self.column_terms = np.asarray(TERMS.ids(terms), dtype=np.int32)  # column -> term id

    def __len__(self) -> int:
        return self.size

    def scores(self, columns: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Each text's cosine with a query given as (columns, L2-normalised weights)."""
        lengths, rows, counts = self.counts.lines(np.asarray(columns))
        values = np.log(counts.astype(np.float64))
        values += 1.0
        values *= np.repeat(self.vectorizer.idf_[columns] * weights, lengths)
        totals = np.bincount(rows, weights=values, minlength=self.size)
        return totals / self.norms

    def bags(self) -> dict[bytes, np.ndarray]:
        """Each text's bag (term ids and counts) by its digest, read back from the counts."""
        by_row = self.counts.csr(major=self.width).T.tocsr()
        indptr, indices, data = by_row.indptr, by_row.indices, by_row.data
        terms = self.column_terms
        bags = {}
        for digest, row in self.rows.items():
            start, end = indptr[row], indptr[row + 1]
            bags[digest] = np.array([terms[indices[start:end]], data[start:end]], dtype=np.int32)
        return bags


class CountIndexBuilder:
    """Builds ``CountIndex``es of texts by an analyzer (e.g. character n-grams), keeping the
    last one: a rebuild after an edit analyses only the changed texts, and the counts the last
    index holds are all that is kept of the others (no second copy as bags)."""

    def __init__(self) -> None:
        self._last: CountIndex | None = None
        self._lock = threading.Lock()

    def build(self, texts: Sequence[str], vectorizer) -> CountIndex | None:
        """The index of ``texts`` (None when they have no terms), ``vectorizer`` fitted."""
        with self._lock:
            last = self._last
        digests = [_digest(text) for text in texts]
        reuse = last is not None and any(d in last.rows for d in digests)
        known = last.bags() if reuse else {}
        analyze = vectorizer.build_analyzer()
        fresh: dict[bytes, np.ndarray] = {}
        bags = []
        for text, digest in zip(texts, digests, strict=True):
            found = known.get(digest)
            if found is None:
                found = fresh.get(digest)
                if found is None:
                    found = fresh[digest] = bag(analyze(text))
            bags.append(found)
        del known
        corpus = Corpus.from_bags([(b,) for b in bags], distinct=True)
        if corpus.empty:
            return None
        index = CountIndex(vectorizer.fit_counts(corpus), vectorizer, digests=digests)
        with self._lock:
            self._last = index
        return index
