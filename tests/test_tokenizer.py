"""The bilingual tokenizer and the TF-IDF index shared by the catalog search and the advisor."""

from __future__ import annotations

import pickle

from textindex.index import TextIndex
from textindex.lexicon import CONCEPTS
from textindex.tokenizer import (
    CONCEPT_PREFIX,
    concepts_in,
    display_term,
    remove_concepts,
    surface_forms,
    tokenize,
    tokenize_plain,
)


def test_mixed_chinese_and_english():
    tokens = tokenize_plain("用TensorFlow做电商推荐CTR预估")
    for expected in ("tensorflow", "电商", "推荐", "ctr"):
        assert expected in tokens
    assert "用" not in tokens  # a stopword


def test_search_mode_keeps_compounds_and_their_parts():
    tokens = tokenize_plain("推荐算法与图数据库")
    assert {"推荐算法", "推荐", "图数据库", "数据库"} <= set(tokens)


def test_english_words_are_lower_cased_stemmed_and_stopwords_dropped():
    assert tokenize_plain("The Graph Databases for the Kafka streams") == [
        "graph",
        "databas",
        "kafka",
        "stream",
    ]


def test_inflected_english_words_meet_as_one_term():
    assert tokenize_plain("recommendations") == tokenize_plain("recommendation")
    assert tokenize_plain("deploying trained models") == tokenize_plain("deploy train model")
    # British and American spellings meet.
    assert tokenize_plain("visualisation analysed") == tokenize_plain("visualization analyzed")
    # Names with digits or marks are not stemmed.
    assert tokenize_plain("node.js c++ tf-idf qwen2") == ["node.js", "c++", "tf-idf", "qwen2"]


def test_a_matched_stem_is_shown_as_the_query_wrote_it():
    assert display_term("Serving Recommendations fast", "recommend") == "Recommendations"
    assert display_term("图数据库", "图数据库") == "图数据库"


def test_version_numbers_and_dotted_names_stay_whole():
    tokens = tokenize_plain("TF 1.15 and node.js with C++")
    assert "node.js" in tokens and "c++" in tokens
    assert "15" not in tokens  # bare numbers carry no meaning


def test_concept_tokens_bridge_languages():
    assert CONCEPT_PREFIX + "recommendation" in tokenize("personalised recommendations")
    assert CONCEPT_PREFIX + "recommendation" in tokenize("商品推荐")
    assert CONCEPT_PREFIX + "graph-database" in tokenize("graph database")
    assert CONCEPT_PREFIX + "graph-database" in tokenize("高性能图数据库")
    assert CONCEPT_PREFIX + "federated" in tokenize("联邦学习")
    assert CONCEPT_PREFIX + "ctr" in tokenize("点击率预估")
    assert CONCEPT_PREFIX + "gnn" in tokenize("GNN")
    assert CONCEPT_PREFIX + "rag" in tokenize("RAG 知识库问答")


def test_english_aliases_match_whole_words_only():
    assert "rag" not in concepts_in("drag and drop storage")
    assert "ads" not in " ".join(concepts_in("downloads"))
    assert "edge" not in concepts_in("a billion-edge graph")
    assert "learning" not in concepts_in("machine learning with graph-learn")
    assert "learning" in concepts_in("beginner courses")


def test_plain_tokens_have_no_concepts():
    assert not any(t.startswith(CONCEPT_PREFIX) for t in tokenize_plain("推荐 recommendation"))


def test_remove_concepts():
    assert "pytorch" not in remove_concepts("GNN training with PyTorch", ["pytorch"])
    assert "gnn" in remove_concepts("GNN training with PyTorch", ["pytorch"])


def test_every_concept_has_an_english_and_a_chinese_alias_or_is_a_name():
    names = {"flink", "spark", "tensorflow", "pytorch", "java"}  # written the same in Chinese
    for concept, aliases in CONCEPTS.items():
        has_chinese = any(any("\u4e00" <= ch <= "\u9fff" for ch in a) for a in aliases)
        assert any(a.isascii() for a in aliases), concept
        assert has_chinese or concept in names, concept


def test_index_search_scores_and_similar():
    index = TextIndex(
        [
            ("rec", "推荐系统 CTR 模型"),
            ("graph", "graph database 图数据库"),
            ("nlp", "natural language processing 文本分类"),
            ("graph2", "graph analytics 图计算"),
        ]
    )
    assert [hit.key for hit in index.search("recommendation")] == ["rec"]
    assert [hit.key for hit in index.search("图数据库")][0] == "graph"
    scores = index.scores("graph database")
    assert set(scores) == {"rec", "graph", "nlp", "graph2"}
    assert scores["graph"] > 0 and scores["rec"] == 0
    terms = index.matched_terms("Graph Database", "graph")
    assert "Graph Database" in terms  # the concept, shown as the user wrote it
    assert set(terms) <= {"Graph Database", "Graph", "Database"}
    assert [hit.key for hit in index.similar("graph")] == ["graph2"]
    assert index.query_tokens("推荐")[0] == "推荐"


def test_index_without_synonyms_does_not_cross_languages():
    docs = [("zh", "推荐系统"), ("en", "image toolbox")]
    assert TextIndex(docs).search("recommendation")
    assert TextIndex(docs, synonyms=False).search("recommendation") == []


def test_index_on_empty_or_stopword_only_input():
    empty = TextIndex([])
    assert empty.search("anything") == []
    stop = TextIndex([("a", "the of and")])
    assert stop.scores("the") == {"a": 0.0}
    assert stop.matched_terms("the", "a") == []


def test_tokenizer_is_picklable_for_the_vectorizer():
    # A module-level tokenizer (token_pattern=None) keeps the fitted index picklable.
    index = TextIndex([("a", "推荐 recommendation")])
    restored = pickle.loads(pickle.dumps(index))
    assert restored.search("推荐")[0].key == "a"


def test_matched_terms_can_merge_nested_terms_and_skip_common_words():
    index = TextIndex(
        [
            ("fed", "联邦学习 平台 数据"),
            ("a", "数据 平台"),
            ("b", "数据 图像"),
            ("c", "数据 文本"),
        ]
    )
    full = index.matched_terms("联邦学习的数据", "fed")
    assert "联邦" in full and "联邦学习" in full and "数据" in full
    short = index.matched_terms("联邦学习的数据", "fed", merge_nested=True, min_idf_share=0.2)
    assert short == ["联邦学习"]
    # When only common words match, they are still shown rather than nothing.
    assert index.matched_terms("数据", "a", min_idf_share=0.9) == ["数据"]


def test_typo_corrections_are_the_catalogs_words_not_stems():
    from textindex.store import DocumentStore, TokenCache

    store = DocumentStore([("a", ["several medical applications"])], cache=TokenCache())
    index = store.index()
    assert {"sever", "medic", "applic"} <= index.vocabulary
    assert {"several", "medical", "applications"} <= surface_forms(index.vocabulary)
    assert surface_forms(["unseen-term"]) == {"unseen-term"}
