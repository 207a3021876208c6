"""Indexes built from counts (``textindex.corpus``) equal the ones built from token lists:
the same vocabulary, idf and matrices entry for entry, and BM25 scores equal to bm25s's."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from textindex.bm25 import BM25
from textindex.corpus import (
    Corpus,
    CorpusVectorizer,
    CountIndexBuilder,
    Postings,
    bag,
    index_dtype,
)
from textindex.index import TextIndex, query_weights
from textindex.store import DocumentStore, TokenCache
from textindex.tokenizer import tokenize, tokenize_plain


def _same_matrix(a, b) -> None:
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)  # the same entries, in the same order
    assert np.array_equal(a.data, b.data)
    assert a.data.dtype == b.data.dtype


def _same_index(built: TextIndex, expected: TextIndex) -> None:
    assert built.keys == expected.keys
    if expected._rows is None:
        assert built._rows is None
        return
    assert list(built._vectorizer.vocabulary_.items()) == list(
        expected._vectorizer.vocabulary_.items()
    )
    assert np.array_equal(built._vectorizer.idf_, expected._vectorizer.idf_)
    _same_postings(built._rows, expected._rows)
    assert np.array_equal(built._cosine_scale, expected._cosine_scale)
    _same_postings(built._by_term, expected._by_term)


def _same_postings(a, b) -> None:
    for name in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
        assert getattr(a, name).dtype == getattr(b, name).dtype, name
    assert a.minor == b.minor


def _catalog_documents() -> list[tuple[str, list[str]]]:
    from catalog.documents import load_entry_rows

    return [(row.slug, row.document_parts()) for row in load_entry_rows()]


@pytest.mark.django_db
@pytest.mark.parametrize("synonyms", [True, False])
def test_an_index_from_counts_is_the_index_from_tokens(real_catalog, synonyms):
    documents = _catalog_documents()
    # Documents sharing texts, an empty one, one without any token.
    documents += [("zz-empty", []), ("zz-stop", ["the of and"]), ("zz-copy", documents[0][1])]
    store = DocumentStore(documents, cache=TokenCache())
    tokenizer = tokenize if synonyms else tokenize_plain
    keys = [key for key, _ in documents]
    expected = TextIndex.from_tokens(
        keys,
        [tokenizer("\n".join(p for p in parts if p)) for _, parts in documents],
        synonyms=synonyms,
    )
    built = TextIndex.from_corpus(
        keys, store.corpus([parts for _, parts in documents], synonyms=synonyms),
        synonyms=synonyms,
    )
    _same_index(built, expected)
    assert store.index(synonyms=synonyms)._vectorizer.vocabulary_ == (
        TextIndex.from_tokens(
            keys, [tokenizer("\n".join(p for p in parts if p)) for _, parts in documents],
            synonyms=synonyms,
        )._vectorizer.vocabulary_
    )
    for query in ("图数据库", "recommendation model training", "联邦学习 privacy"):
        assert np.array_equal(built.score_array(query), expected.score_array(query))


def test_an_index_without_tokens_is_empty():
    store = DocumentStore([("a", ["the of"]), ("b", [])], cache=TokenCache())
    index = TextIndex.from_corpus(["a", "b"], store.corpus([["the of"], []]))
    assert index._rows is None and index.search("anything") == []


@pytest.mark.django_db
def test_bm25_from_counts_scores_as_bm25s(real_catalog):
    documents = [parts for _, parts in _catalog_documents()] + [[]]
    token_lists = [tokenize("\n".join(parts)) if parts else [] for parts in documents]
    reference = bm25s.BM25()
    reference.index([list(t) or [""] for t in token_lists], show_progress=False)
    ours = BM25(DocumentStore((), cache=TokenCache()).corpus(documents))
    assert set(ours.vocabulary) == {t for tokens in token_lists for t in tokens}
    for query in ("推荐 CTR 模型 训练", "graph database fraud", "~recommendation 推荐 推荐"):
        tokens = [t for t in tokenize(query) if t in ours.vocabulary]
        expected = reference.get_scores(tokens)
        assert expected.dtype == ours.get_scores(tokens).dtype
        assert np.array_equal(ours.get_scores(tokens), expected)


@pytest.mark.django_db
def test_character_ngrams_from_counts_equal_scikit_learns(real_catalog):
    texts = [" ".join(parts[:3]).lower() for _, parts in _catalog_documents()]
    expected_vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True)
    expected = expected_vectorizer.fit_transform(texts)
    ours = CorpusVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True)
    analyze = ours.build_analyzer()
    built = ours.fit_transform(Corpus.from_bags([(bag(analyze(text)),) for text in texts]))
    _same_matrix(built, expected)
    assert list(ours.vocabulary_.items()) == list(expected_vectorizer.vocabulary_.items())
    query = ["graphscope 图计算"]
    _same_matrix(ours.transform(query), expected_vectorizer.transform(query))


def _char_vectorizer() -> CorpusVectorizer:
    return CorpusVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True)


@pytest.mark.django_db
def test_a_count_index_scores_as_scikit_learns_cosine(real_catalog):
    texts = [" ".join(parts[:3]).lower() for _, parts in _catalog_documents()]
    texts += [texts[0], ""]  # a repeated text and an empty one keep their rows
    expected_vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True)
    expected = expected_vectorizer.fit_transform(texts)
    ours = _char_vectorizer()
    index = CountIndexBuilder().build(texts, ours)
    assert len(index) == len(texts)
    assert list(ours.vocabulary_.items()) == list(expected_vectorizer.vocabulary_.items())
    for query in ("graphscope 图计算", "recomendation sytem", "tensorflow"):
        columns, weights = query_weights(ours, ours.build_analyzer()(query))
        want = (expected @ expected_vectorizer.transform([query]).T).toarray().ravel()
        assert np.allclose(index.scores(columns, weights), want, rtol=0, atol=1e-12), query


@pytest.mark.django_db
def test_a_count_index_rebuilt_after_an_edit_equals_a_fresh_one(real_catalog):
    texts = [" ".join(parts[:3]).lower() for _, parts in _catalog_documents()]
    builder = CountIndexBuilder()
    builder.build(texts, _char_vectorizer())
    edited = [*texts[:5], "an edited text about graph databases", *texts[6:]]
    rebuilt_vectorizer, fresh_vectorizer = _char_vectorizer(), _char_vectorizer()
    rebuilt = builder.build(edited, rebuilt_vectorizer)
    fresh = CountIndexBuilder().build(edited, fresh_vectorizer)
    assert rebuilt_vectorizer.vocabulary_ == fresh_vectorizer.vocabulary_
    assert np.array_equal(rebuilt_vectorizer.idf_, fresh_vectorizer.idf_)
    _same_postings(rebuilt.counts, fresh.counts)
    assert np.allclose(rebuilt.norms, fresh.norms, rtol=1e-12)
    # Only the counts are kept: the texts' bags are read back from them.
    assert builder.build(["", ""], _char_vectorizer()) is None


@pytest.mark.django_db
def test_a_dropped_version_leaves_no_reference_cycles(real_catalog):
    """``versioning.settle_heap`` freezes what a build leaves alive instead of letting the
    collector walk it: that is only safe if a dropped version is freed by reference counting."""
    import gc

    from advisor.catalog_source import build_engine
    from advisor.engine.types import Answers
    from catalog import textstore

    engine = build_engine()
    engine.advise(Answers(text="推荐 CTR 模型训练", framework="pytorch"))
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        del engine
        textstore.clear()
        gc.collect()
        assert [type(o).__name__ for o in gc.garbage] == []
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def test_collection_pauses_nest_and_restore_the_collector():
    import gc

    from catalog.versioning import collection_paused

    assert gc.isenabled()
    with collection_paused():
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_corpus_serves_several_indexes_unchanged():
    """The engine builds its TF-IDF index and BM25 from one corpus: building either must not
    reorder the corpus's arrays under the other."""
    store = DocumentStore((), cache=TokenCache())
    documents = [["推荐系统 CTR 模型", "graph 图数据库 graph"], ["联邦学习 privacy", "CTR"]]
    corpus = store.corpus(documents)
    before = (corpus.documents.copy(), corpus.ids.copy(), corpus.counts.copy())
    TextIndex.from_corpus(["a", "b"], corpus)
    BM25(corpus)
    assert all(np.array_equal(x, y) for x, y in zip(before, (corpus.documents, corpus.ids,
                                                             corpus.counts), strict=True))
    fresh = BM25(store.corpus(documents))
    assert np.array_equal(BM25(corpus).get_scores(["ctr", "graph"]),
                          fresh.get_scores(["ctr", "graph"]))


@pytest.mark.django_db
@pytest.mark.parametrize("norm", [None, "l2"])
def test_the_vectorizer_on_token_lists_equals_scikit_learns(real_catalog, norm):
    token_lists = [tokenize("\n".join(parts)) for _, parts in _catalog_documents()]
    token_lists += [[], ["only", "only"]]
    options = {"analyzer": lambda tokens: tokens, "lowercase": False, "sublinear_tf": True}
    expected_vectorizer = TfidfVectorizer(**options, norm=norm)
    ours = CorpusVectorizer(**options, norm=norm)
    _same_matrix(ours.fit_transform(token_lists), expected_vectorizer.fit_transform(token_lists))
    assert list(ours.vocabulary_.items()) == list(expected_vectorizer.vocabulary_.items())
    assert np.array_equal(ours.idf_, expected_vectorizer.idf_)
    query = [["推荐", "推荐", "graph", "unknown-word"], []]
    _same_matrix(ours.transform(query), expected_vectorizer.transform(query))


def test_an_empty_vocabulary_is_an_error_as_in_scikit_learn():
    with pytest.raises(ValueError, match="empty vocabulary"):
        CorpusVectorizer(analyzer=lambda tokens: tokens).fit_transform([[], []])


def test_a_serving_process_imports_no_scikit_learn():
    """scikit-learn (and the scipy.stats it imports) is about 70 MB a process: only training
    uses it."""
    import subprocess
    import sys

    probe = (
        "import sys, textindex.index, textindex.store, advisor.engine.scoring, "
        "advisor.engine.query; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn' "
        "or m.startswith('scipy.stats') or m == 'pypinyin.phrases_dict'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "[]"


def test_postings_read_lines_as_scipy_slices_them():
    rng = np.random.default_rng(7)
    dense = rng.integers(0, 3, size=(40, 300)) * (rng.random((40, 300)) < 0.1)
    by_column = sparse.csc_matrix(dense.astype(np.float32))
    postings = Postings.of(by_column)
    assert postings.indices.dtype == np.uint16 and postings.minor == 40
    for columns in ([0], [5, 17, 299], [3, 3], list(range(0, 300, 7)), []):
        picked = by_column[:, columns]
        lengths, rows, values = postings.lines(np.asarray(columns, dtype=np.int64))
        assert lengths.tolist() == np.diff(picked.indptr).tolist()
        assert rows.tolist() == picked.indices.tolist()
        assert values.tolist() == picked.data.tolist()
    rows, values = postings.line(17)
    assert rows.tolist() == np.flatnonzero(dense[:, 17]).tolist()
    assert (postings.csr(major=300).toarray() == dense.T).all()


def test_indices_take_two_bytes_below_65536_and_four_above():
    assert index_dtype(10_000) is np.uint16
    assert index_dtype(1 << 16) is np.uint16
    assert index_dtype((1 << 16) + 1) is np.int32


@pytest.mark.django_db
def test_similar_documents_are_ranked_by_their_tf_idf_cosine(real_catalog):
    documents = _catalog_documents()
    keys = [key for key, _ in documents]
    token_lists = [tokenize("\n".join(parts)) for _, parts in documents]
    index = TextIndex.from_tokens(keys, token_lists, synonyms=True)
    vectorizer = TfidfVectorizer(analyzer=lambda tokens: tokens, lowercase=False,
                                 sublinear_tf=True)
    matrix = vectorizer.fit_transform(token_lists)
    cosines = (matrix @ matrix.T).toarray()
    for position in range(0, len(keys), 5):
        hits = index.similar(keys[position], limit=6)
        row = cosines[position].copy()
        row[position] = -1.0
        best = np.argsort(-row, kind="stable")[:6]
        assert len(hits) == 6
        assert np.allclose([h.score for h in hits], row[best], rtol=0, atol=1e-6)
        for hit in hits:
            assert abs(row[keys.index(hit.key)] - hit.score) < 1e-6


def test_a_document_without_terms_has_no_similar_documents():
    index = TextIndex.from_tokens(["a", "b", "c"], [["x", "y"], [], ["x"]], synonyms=False)
    assert index.similar("b") == []
    assert [hit.key for hit in index.similar("a")] == ["c"]


def test_postings_lines_take_another_postings_two_byte_indices():
    dense = np.zeros((3, 70_000), dtype=np.float32)
    dense[1, 65_535] = 2.0
    dense[2, 69_999] = 3.0
    by_column = Postings.of(sparse.csc_matrix(dense))
    assert by_column.indices.dtype == np.uint16  # rows: 3
    by_row = Postings.of(sparse.csr_matrix(dense))
    assert by_row.indices.dtype == np.int32  # columns: 70,000
    columns = np.asarray([65_535], dtype=np.uint16)  # + 1 must not wrap to 0
    lengths, rows, values = by_column.lines(columns)
    assert lengths.tolist() == [1] and rows.tolist() == [1] and values.tolist() == [2.0]
