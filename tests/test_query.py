"""Query understanding (advisor/engine/query.py) and the bilingual synonym data. No database:
the catalog side is a handful of made-up entries."""

from __future__ import annotations

import json
import re
from dataclasses import FrozenInstanceError

import pytest

from advisor.engine import query
from advisor.engine.query import (
    CONTEXT,
    COUNTERPART,
    CUES_PATH,
    TARGET,
    QueryFacts,
    correct_homophones,
    correct_typos,
    deployment_in,
    prepare,
    read,
    scale_in,
    understand,
)
from advisor.engine.words import WordList, english_words
from textindex.lexicon import CONCEPTS
from textindex.lexicon import PATH as LEXICON_PATH

# Made-up entries: the module must work from names alone, whatever the catalog holds.
ALIASES = {
    "recbox": ["recbox"],
    "torchrecbox": ["torchrecbox", "torch recbox"],
    "streamgraph": ["streamgraph", "stream graph engine"],
    "chartkit": ["chartkit"],
    "graphstore": ["graphstore", "graph store db"],
    "vectorhub": ["vectorhub"],
    "oldtransfer": ["oldtransfer"],
}
FRAMEWORKS = {"recbox": ["tensorflow"], "torchrecbox": ["pytorch"]}
VOCABULARY = ["recommendation", "ranking", "visualization", "training", "streaming", "graph"]
CONTEXT_ = prepare(aliases=ALIASES, vocabulary=VOCABULARY, entry_frameworks=FRAMEWORKS)


def facts(text: str) -> QueryFacts:
    return read(text, context=CONTEXT_)


# --- the interface ---------------------------------------------------------------------------


def test_understand_is_read_with_a_context_built_for_the_call():
    text = "不想再用TF了，有没有类似RecBox的PyTorch版本？"
    once = understand(text, aliases=ALIASES, vocabulary=VOCABULARY, entry_frameworks=FRAMEWORKS)
    assert once == facts(text)
    assert once.frameworks_avoided == {"tensorflow"}
    assert once.named == {"recbox": COUNTERPART}


def test_facts_are_frozen_and_their_roles_read_only():
    result = facts("what is RecBox")
    with pytest.raises(FrozenInstanceError):
        result.text = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.named["recbox"] = CONTEXT  # type: ignore[index]


def test_aliases_may_be_any_iterables_and_the_vocabulary_may_be_left_out():
    result = understand("what is RecBox", aliases={"recbox": ("recbox",)})
    assert result.named == {"recbox": TARGET}
    assert result.corrections == ()


def test_an_empty_question_says_nothing():
    assert facts("") == QueryFacts(text="")
    assert facts("   ").named == {}


# --- typos -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "fixed"),
    [
        ("pytroch", "pytorch"),  # two letters swapped: one edit
        ("tensoflow", "tensorflow"),
        ("recomender", "recommender"),
        ("visualisaton", "visualisation"),
        ("recbxo", "recbox"),  # an entry's name, 6 letters, one swap
        ("streamgrpah", "streamgraph"),
    ],
)
def test_a_misspelt_word_is_corrected_to_the_nearest_known_word(typed, fixed):
    result = facts(f"we need a {typed} for ranking")
    assert result.corrections == ((typed, fixed),)
    assert result.text == f"we need a {fixed} for ranking"


def test_corrections_work_between_chinese_characters_and_keep_the_capital():
    result = facts("用Pytroch做推荐")
    assert result.text == "用Pytorch做推荐"
    assert result.corrections == (("Pytroch", "pytorch"),)
    assert result.frameworks_wanted == {"pytorch"}


def test_several_typos_are_corrected_in_text_order():
    result = facts("pytroch recomender, not tensoflow")
    assert [typed for typed, _ in result.corrections] == ["pytroch", "recomender", "tensoflow"]
    assert result.frameworks_wanted == {"pytorch"}
    assert result.frameworks_avoided == {"tensorflow"}


@pytest.mark.parametrize(
    "text",
    [
        "we are moving quickly",  # plain English the catalog never uses
        "building a ranking system",
        "our customers complain about latency",
        "Recommendation and visualization",  # in the vocabulary
        "tensorflow recommenders",  # a known word with a plural s
        "graphs everywhere",
        "the pipeline's throughput",
    ],
)
def test_a_known_word_is_never_corrected(text):
    result = facts(text)
    assert result.corrections == ()
    assert result.text == text


@pytest.mark.parametrize(
    "text",
    [
        "pytorc",  # 6 letters, 1 away: corrected (the control case below)
    ],
)
def test_six_letters_allow_one_edit(text):
    assert facts(text).corrections == ((text, "pytorch"),)


@pytest.mark.parametrize(
    "text",
    [
        "grahp",  # 5 letters, 2 edits from "graph" by Levenshtein but one swap: corrected
    ],
)
def test_a_swap_is_one_edit(text):
    assert facts(text).corrections == ((text, "graph"),)


@pytest.mark.parametrize(
    "text",
    [
        "rcmdr",  # too far from anything
        "tnsrflw",  # 7 letters, 3 edits from "tensorflow"
        "pyt",  # short words are left alone
        "gaph",  # 4 letters: too short to guess
        "tf-idf",
        "model_v2",
        "see github.com/pytroch",  # part of an address
        "pytroch2",  # a word with digits is a name or a version
    ],
)
def test_far_short_or_code_like_words_are_left_alone(text):
    assert facts(text).corrections == ()
    assert facts(text).text == text


def test_correct_typos_alone():
    text, corrections = correct_typos("Tensoflow?", context=CONTEXT_)
    assert text == "Tensorflow?"
    assert corrections == (("Tensoflow", "tensorflow"),)


def test_a_tie_goes_to_a_name_or_concept_before_a_plain_index_word():
    context = prepare(aliases={"ranker": ["ranker"]}, vocabulary=["rankers", "banker"])
    assert read("rankerr", context=context).corrections == (("rankerr", "ranker"),)


# Chinese homophones: a pinyin input method offers every character of a sound.
HOMOPHONE_CONTEXT = prepare(
    aliases={"fedbox": ["fedbox", "联邦盒子"]},
    vocabulary=[
        "联邦学习", "知识图谱", "向量检索", "推荐系统", "分布式", "数据", "命令行", "自然语言",
    ],
)


@pytest.mark.parametrize(
    ("typed", "fixed"),
    [
        ("多家医院想联帮学习一起微调大模型", "多家医院想联邦学习一起微调大模型"),
        ("想做知识图普问答", "想做知识图谱问答"),
        ("要做向量减索", "要做向量检索"),
        ("一个推件系统", "一个推荐系统"),
        ("有没有分部式训练", "有没有分布式训练"),
        ("想试试联帮盒子", "想试试联邦盒子"),  # an entry's Chinese name
        ("在命令航里运行", "在命令行里运行"),  # 行 is read hang here, xing in most words
        ("有没有分布似训练", "有没有分布式训练"),  # 似 is offered for shi, its first reading
    ],
)
def test_a_homophone_of_a_domain_word_is_corrected(typed, fixed):
    result = read(typed, context=HOMOPHONE_CONTEXT)
    assert result.text == fixed
    assert len(result.corrections) == 1


@pytest.mark.parametrize(
    "text",
    [
        "病历数剧不能出域",  # 数据 has two characters: too many ordinary words sound alike
        "事实上我们想做实时计算",  # dictionary words, however they sound
        "适用于训练参数量庞大的模型",  # 于 is a function word, not a slip of 预
        "支持事件时间处理",  # 时间处理 is two words, not a slip of a domain word
        "联邦学习和知识图谱",  # already right
        "生成自然语音",  # 言's archaic reading yin is no slip for 音
        "recommendation system",
    ],
)
def test_ordinary_chinese_and_right_words_are_left_alone(text):
    assert correct_homophones(text, context=HOMOPHONE_CONTEXT) == (text, ())


def test_homophone_and_latin_corrections_are_reported_together():
    context = prepare(aliases={}, vocabulary=["联邦学习", "recommendation"])
    result = read("联帮学习 recomendation", context=context)
    assert result.text == "联邦学习 recommendation"
    assert set(result.corrections) == {
        ("联帮学习", "联邦学习"),
        ("recomendation", "recommendation"),
    }


# --- frameworks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "avoided", "wanted"),
    [
        ("We are moving away from TensorFlow", {"tensorflow"}, set()),
        ("moving away from our old TensorFlow code", {"tensorflow"}, set()),
        ("we want to get off TensorFlow", {"tensorflow"}, set()),
        ("不想再用TF了", {"tensorflow"}, set()),
        ("不想再用那个老的TF", {"tensorflow"}, set()),
        ("不再用TensorFlow了", {"tensorflow"}, set()),
        ("从TF迁移到PyTorch", {"tensorflow"}, {"pytorch"}),
        ("从TensorFlow迁移", {"tensorflow"}, set()),
        ("TF模型迁移到PyTorch", {"tensorflow"}, {"pytorch"}),
        ("把TensorFlow换成PyTorch", {"tensorflow"}, {"pytorch"}),
        ("用PyTorch替换TensorFlow", {"tensorflow"}, {"pytorch"}),
        ("migrating from TensorFlow to PyTorch", {"tensorflow"}, {"pytorch"}),
        ("TensorFlow to PyTorch migration", {"tensorflow"}, {"pytorch"}),
        ("Keras -> PyTorch", {"tensorflow"}, {"pytorch"}),
        ("replace TensorFlow with PyTorch", {"tensorflow"}, {"pytorch"}),
        ("PyTorch instead of TensorFlow", {"tensorflow"}, {"pytorch"}),
        ("not TensorFlow but PyTorch", {"tensorflow"}, {"pytorch"}),
        ("不用TF而用PyTorch", {"tensorflow"}, {"pytorch"}),
        ("我们以前用TF，现在想换", {"tensorflow"}, set()),
        ("we used to use TensorFlow, what now?", {"tensorflow"}, set()),
        ("从飞桨迁移到PyTorch", {"paddlepaddle"}, {"pytorch"}),
        ("Spark迁移到Flink", {"spark"}, {"flink"}),
    ],
)
def test_a_framework_left_is_avoided_and_the_target_is_wanted(text, avoided, wanted):
    result = facts(text)
    assert result.frameworks_avoided == avoided
    assert result.frameworks_wanted == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("TensorFlow and PyTorch", {"tensorflow", "pytorch"}),
        ("TensorFlow和PyTorch都要支持", {"tensorflow", "pytorch"}),
        ("we use TensorFlow", {"tensorflow"}),
        ("我们用PyTorch训练推荐模型", {"pytorch"}),
        ("a recommender for PyTorch", {"pytorch"}),
        ("tf.keras models", {"tensorflow"}),
        ("之前用TF训练了模型，需要部署", {"tensorflow"}),  # past use, but nothing changes
        ("TensorFlow or PyTorch?", {"tensorflow", "pytorch"}),
    ],
)
def test_a_framework_named_plainly_is_wanted_and_none_is_avoided(text, wanted):
    result = facts(text)
    assert result.frameworks_wanted == wanted
    assert result.frameworks_avoided == frozenset()


@pytest.mark.parametrize(
    "text",
    [
        "TF-IDF baseline for search",
        "a transfer learning model",
        "用迁移学习做文本分类",
        "jax-rs api",
    ],
)
def test_words_that_only_look_like_a_framework_name_are_none(text):
    result = facts(text)
    assert result.frameworks_wanted == frozenset()
    assert result.frameworks_avoided == frozenset()


def test_a_framework_both_left_and_named_again_is_avoided_only():
    result = facts("we use TensorFlow today but are moving away from TensorFlow")
    assert result.frameworks_avoided == {"tensorflow"}
    assert result.frameworks_wanted == frozenset()


# --- named entries ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("what is RecBox", {"recbox": TARGET}),
        ("RecBox", {"recbox": TARGET}),
        ("RecBox怎么部署", {"recbox": TARGET}),
        ("how do I tune RecBox for ranking", {"recbox": TARGET}),
        ("现在RecBox很火吗", {"recbox": TARGET}),  # "现在" is no "在"
        ("做图像RecBox", {"recbox": TARGET}),  # "图像" is no "像"
        ("RecBox上海用户多吗", {"recbox": TARGET}),  # "上海" is no "上"
    ],
)
def test_a_name_with_no_cue_is_the_target(text, named):
    assert facts(text).named == named


@pytest.mark.parametrize(
    "text",
    [
        "visualize the results of our StreamGraph job",
        "visualize the results of our stream graph engine job",
        "we run StreamGraph and need dashboards",
        "we are using StreamGraph, what should we use to draw the graph",
        "built on StreamGraph, we need a chart library",
        "基于StreamGraph的数据做可视化",
        "我们用StreamGraph算图，想找个可视化工具",
        "在StreamGraph上跑完的图怎么画出来",
        "StreamGraph的结果怎么展示",
        "我们现有的StreamGraph集群",
    ],
)
def test_the_users_own_system_is_context(text):
    assert facts(text).named == {"streamgraph": CONTEXT}


@pytest.mark.parametrize(
    "text",
    [
        "is there a RecBox for PyTorch?",
        "something like RecBox but for PyTorch",
        "a PyTorch version of RecBox",
        "an alternative to RecBox",
        "RecBox alternatives",
        "we are moving away from RecBox",
        "类似RecBox的PyTorch版本",
        "RecBox的PyTorch版本",
        "RecBox有PyTorch版吗",
        "RecBox的替代",
        "有没有RecBox的平替",
        "不想再用RecBox了",
        "以前用RecBox，现在用什么",
    ],
)
def test_a_version_of_an_entry_for_something_else_is_a_counterpart(text):
    assert facts(text).named == {"recbox": COUNTERPART}


def test_an_entry_for_its_own_framework_is_no_counterpart():
    assert facts("TorchRecBox for PyTorch").named == {"torchrecbox": TARGET}
    assert facts("RecBox for PyTorch").named == {"recbox": COUNTERPART}


def test_several_names_each_get_their_role():
    result = facts("we run StreamGraph; is ChartKit good for drawing its output?")
    assert result.named == {"streamgraph": CONTEXT, "chartkit": TARGET}


def test_the_longest_name_wins_over_one_inside_it():
    result = facts("torch recbox or tensorflow")
    assert "torchrecbox" in result.named and "recbox" not in result.named


# --- comparisons -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "RecBox or TorchRecBox, which should we take?",
        "RecBox or TorchRecBox?",
        "RecBox vs TorchRecBox",
        "RecBox vs. TorchRecBox for ranking",
        "RecBox versus TorchRecBox",
        "what is the difference between RecBox and TorchRecBox",
        "RecBox和TorchRecBox之间的差异",
        "RecBox和TorchRecBox选哪个",
        "RecBox还是TorchRecBox",
        "RecBox、TorchRecBox哪个更好",
        "RecBox与TorchRecBox的区别",
        "RecBox对比TorchRecBox",
        "用RecBox还是TorchRecBox好",
    ],
)
def test_a_comparison_names_both_entries_as_targets(text):
    result = facts(text)
    assert result.comparison
    assert result.named == {"recbox": TARGET, "torchrecbox": TARGET}
    assert result.compared == ("recbox", "torchrecbox")


def test_a_comparison_of_three_and_of_frameworks():
    three = facts("RecBox, TorchRecBox or VectorHub?")
    assert three.comparison and three.compared == ("recbox", "torchrecbox", "vectorhub")
    frameworks = facts("TensorFlow还是PyTorch")
    assert frameworks.comparison and frameworks.compared == ()


@pytest.mark.parametrize(
    "text",
    [
        "RecBox and TorchRecBox",  # no choice asked
        "we use RecBox and TorchRecBox together",
        "RecBox和TorchRecBox都装好了",
        "we run StreamGraph or ChartKit jobs",  # "or" without a question
        "我们用StreamGraph和GraphStore，选哪个可视化库",  # the question picks something else
        "RecBox. TorchRecBox?",  # a sentence apart
        "share data between RecBox and TorchRecBox",
        "what is RecBox",
    ],
)
def test_names_side_by_side_are_no_comparison_unless_asked(text):
    assert not facts(text).comparison
    assert facts(text).compared == ()


@pytest.mark.parametrize(
    ("text", "avoided"),
    [
        ("不想再用TF和飞桨了", {"tensorflow", "paddlepaddle"}),
        ("moving away from TensorFlow and MXNet", {"tensorflow", "mxnet"}),
    ],
)
def test_a_cue_reaches_the_names_joined_to_its_own(text, avoided):
    assert facts(text).frameworks_avoided == avoided
    assert facts(text).frameworks_wanted == frozenset()
    assert facts("RecBox和VectorHub的替代").named == {
        "recbox": COUNTERPART,
        "vectorhub": COUNTERPART,
    }


def test_context_names_joined_by_and_stay_context():
    result = facts("我们用StreamGraph和GraphStore，选哪个可视化库")
    assert result.named == {"streamgraph": CONTEXT, "graphstore": CONTEXT}


# --- deployment and scale --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "deployment"),
    [
        ("we want to host it ourselves", "self-hosted"),
        ("must run on-prem", "self-hosted"),
        ("self-hosted only", "self-hosted"),
        ("it has to be self-managed", "self-hosted"),
        ("air-gapped network, our own servers", "self-hosted"),
        ("需要私有化部署", "self-hosted"),
        ("我们要自己部署", "self-hosted"),
        ("只能本地部署", "self-hosted"),
        ("不想用云服务", "self-hosted"),  # a managed service, negated
        ("not a managed service", "self-hosted"),
        ("a fully managed service", "managed"),
        ("SaaS is fine, we have no ops team", "managed"),
        ("托管的就行", "managed"),
        ("不想运维", "managed"),
        ("不想自己部署", "managed"),  # hosting it oneself, negated
        ("we don't want to host it ourselves", "managed"),
        ("a hosted service with an API", "managed"),
        ("调用在线API，而不是本地部署", "managed"),
        ("", ""),
        ("a recommender for our shop", ""),
        ("私有化部署，也可以用托管服务", ""),  # both: the question does not decide
    ],
)
def test_deployment_is_read_in_both_languages(text, deployment):
    assert deployment_in(text) == deployment
    assert facts(text).deployment == deployment


@pytest.mark.parametrize(
    ("text", "scale"),
    [
        ("it runs on my laptop", "single"),
        ("a single machine is enough", "single"),
        ("单机就够", "single"),
        ("一台服务器", "single"),
        ("we have a cluster of 8 nodes", "cluster"),
        ("多机多卡训练", "cluster"),
        ("several nodes with multiple GPUs", "cluster"),
        ("billions of samples", "massive"),
        ("十亿级样本", "massive"),
        ("thousands of GPUs", "massive"),
        ("上千台机器", "massive"),
        ("from one machine to billions of rows", "massive"),  # the biggest wins
        ("模型参数量太大单卡放不下", "cluster"),  # too small: the next scale up
        ("our model no longer fits on one GPU", "cluster"),
        ("a single machine is not enough", "cluster"),
        ("集群也扛不住", "massive"),
        ("no cluster needed", ""),  # negated
        ("不需要集群", ""),
        ("a recommender", ""),
    ],
)
def test_scale_is_read_in_both_languages(text, scale):
    assert scale_in(text) == scale
    assert facts(text).scale == scale


def test_data_types_and_concepts_come_from_the_corrected_text():
    result = facts("graph embeddings for a recomender")
    assert "recommendation" in result.concepts
    assert {"graph", "vector"} <= result.data_types


# --- the data --------------------------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[a-z]")


def test_every_concept_of_the_synonym_data_has_both_languages():
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    exempt = set(data["language_neutral_concepts"])
    assert exempt <= set(data["concepts"]), "an exemption names no concept"
    assert len(exempt) <= 8, "the exemption is for proper names only: keep it short"
    missing = {
        concept: aliases
        for concept, aliases in data["concepts"].items()
        if concept not in exempt
        and not (any(_CJK.search(a) for a in aliases) and any(_LATIN.search(a) for a in aliases))
    }
    assert missing == {}
    # An exempt concept is a name written in Latin letters in both languages.
    assert all(all(not _CJK.search(a) for a in CONCEPTS[c]) for c in exempt)


def test_the_cue_data_names_no_catalog_entry():
    from pathlib import Path

    cues = CUES_PATH.read_text(encoding="utf-8").lower()
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "catalog.json"
    projects = [
        o["fields"]
        for o in json.loads(fixture.read_text(encoding="utf-8"))
        if o["model"] == "catalog.project"
    ]
    words = set(re.findall(r'"([^"]+)"', cues))
    for fields in projects:
        for name in (fields.get("slug", ""), fields.get("name", "")):
            assert name.lower() not in words, name


def test_every_cue_list_compiles_and_is_lower_case():
    data = json.loads(CUES_PATH.read_text(encoding="utf-8"))

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for key, item in value.items():
                if not key.startswith("_"):
                    yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    for cue in strings({k: v for k, v in data.items() if not k.startswith("_")}):
        assert cue == cue.lower(), cue
    assert query.FRAMEWORK_ALIASES["tensorflow"]  # the lexicon's names and the cue file's
    assert "tf" in query.FRAMEWORK_ALIASES["tensorflow"]


# --- the English dictionary ------------------------------------------------------------------


def test_the_english_dictionary_is_the_spell_checkers_word_list():
    from spellchecker import SpellChecker

    library = set(SpellChecker(language="en", distance=1).word_frequency.dictionary)
    words = english_words()
    assert len(words) == len(library) and set(words) == library
    assert "sandbox" in words and "recognize" in words and "zürich's" in words
    assert "sandboxx" not in words and "" not in words and "a\nb" not in words


@pytest.mark.parametrize("block", [1, 2, 3, 256])
def test_a_word_list_finds_exactly_its_words(block, monkeypatch):
    monkeypatch.setattr(WordList, "BLOCK", block)
    words = ["a", "ab", "abc", "b", "ba", "zeta", "zz"]
    listed = WordList(words)
    assert sorted(listed) == words and len(listed) == len(words)
    for word in words:
        assert word in listed
    for other in ["", "aa", "abcd", "bb", "c", "0", "zzz", "zet", "\n", "a\nab", 3]:
        assert other not in listed
    assert "a" not in WordList([]) and list(WordList([])) == []
    again = WordList.from_text(listed.as_text())
    assert list(again) == words and len(again) == len(words) and "zeta" in again
    assert "zet" not in again and list(WordList.from_text(WordList([]).as_text())) == []
    for broken in ("", "a\nb\n", "\nb\na\n", "\na\na\n", "\na\n\nb\n"):
        with pytest.raises(ValueError):
            WordList.from_text(broken)


def test_the_english_words_are_written_once_by_a_child_process(tmp_path):
    from advisor.engine import words as words_module

    path = tmp_path / "words" / "english.txt"
    made = words_module._words_from_file(path)
    assert path.exists() and set(made) == set(english_words())
    stamp = path.stat().st_mtime_ns
    assert len(words_module._words_from_file(path)) == len(made)
    assert path.stat().st_mtime_ns == stamp
    assert not list(path.parent.glob("*.tmp"))


def test_without_the_word_file_the_words_are_loaded_in_process(tmp_path, monkeypatch, caplog):
    from advisor.engine import words as words_module

    broken = tmp_path / "broken.txt"
    broken.write_text("not\na word list", encoding="utf-8")
    monkeypatch.setattr(words_module, "words_file", lambda: broken)
    with caplog.at_level("WARNING", logger="advisor.engine.words"):
        loaded = words_module.english_words.__wrapped__()
    assert "loading the words here" in caplog.text
    assert len(loaded) == len(english_words()) and "sandbox" in loaded


@pytest.mark.parametrize(
    ("text", "answered", "expected"),
    [
        # The deployment words alone say self-hosted ("本地部署"); the question says managed.
        ("想在应用里调用在线的通义千问API，而不是本地部署Qwen模型", "any", ("managed", True)),
        ("we want a hosted API rather than self-hosting the model", "any", ("managed", True)),
        ("not a managed service: we host it ourselves", "any", ("self-hosted", True)),
        ("托管服务也行，自己部署也行", "any", ("any", False)),  # both: not a deployment answer
        # An answered deployment is the user's, whatever the text says.
        ("而不是本地部署", "self-hosted", ("self-hosted", False)),
    ],
)
def test_the_need_takes_the_questions_deployment_with_its_negations(text, answered, expected):
    from advisor.engine import rules
    from advisor.engine.scoring import understood_need
    from advisor.engine.types import Answers

    answers = Answers(text=text, deployment=answered)
    need = understood_need(rules.infer_need(answers), facts(text), answers)
    assert (need.deployment, need.deployment_inferred) == expected
